"""Shapes, parameter counts, receptive fields and memory of a layer stack, checked before torch runs."""
from __future__ import annotations

from dataclasses import dataclass

from playground.errors import SpecError
from playground.layers import kinds as K
from playground.layers.cost import check_forward
from playground.layers.kernels import check_kernel
from playground.spec import LayerSpec, NetSpec

BUDGET_MB = 256
BYTES_PER_VALUE = 4  # float32


@dataclass(frozen=True)
class LayerInfo:
    """One row of the shape table; shapes are (C, H, W), indices 1-based."""

    index: int
    kind: str
    name: str
    in_shape: tuple[int, int, int]
    out_shape: tuple[int, int, int]
    params: int
    rf_size: int  # receptive field side, in input pixels
    rf_jump: int  # input pixels between neighbouring outputs
    act_bytes: int  # float32 bytes of this layer's output
    kernel: int = 1
    stride: int = 1
    padding: int = 0  # left/top padding actually used ("same" resolved)
    dilation: int = 1
    same: bool = False  # conv "same" padding: total padding d(k − 1), the odd pixel on the bottom/right
    family: str = K.POINTWISE  # the kind's family in playground/layers/kinds.py


def out_size(h: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> int:
    """⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1, PyTorch's rule for conv and pooling (floor mode)."""
    return (h + 2 * p - d * (k - 1) - 1) // s + 1


def geometry(layer: LayerSpec) -> tuple[int, int, int, int]:
    """(kernel, stride, left padding, dilation) of a fixed-window layer; elementwise layers are (1, 1, 0, 1)."""
    family = K.kind(layer.kind).family
    if family == K.CONV:
        pad = layer.dilation * (layer.kernel - 1) // 2 if layer.same else layer.padding
        return layer.kernel, layer.stride, pad, layer.dilation
    if family == K.POOL:
        return layer.kernel, layer.stride, layer.padding, 1
    return 1, 1, 0, 1


def adaptive_window(i: int, n_in: int, n_out: int) -> tuple[int, int]:
    """Inclusive input range [start, end] that output i of an adaptive pool over n_in cells averages (torch's rule)."""
    return (i * n_in) // n_out, -(-((i + 1) * n_in) // n_out) - 1


def adaptive_geometry(n_in: int, n_out: int) -> tuple[int, int]:
    """(largest window, smallest step) of an adaptive pool along one axis: what its receptive field grows by."""
    windows = [adaptive_window(i, n_in, n_out) for i in range(n_out)]
    size = max(b - a + 1 for a, b in windows)
    step = min((windows[i + 1][0] - windows[i][0] for i in range(n_out - 1)), default=n_in)
    return size, max(1, step)


def _fail(key: str, i: int, layer: LayerSpec, **params):
    """Raise SpecError("layers.<key>") naming the 1-based layer and its PyTorch kind."""
    raise SpecError(f"layers.{key}", layer=i, kind=K.kind(layer.kind).torch_name, **params)


def _check_spatial(i: int, layer: LayerSpec, h: int, w: int) -> tuple[int, int]:
    """Output (H, W) of a conv / pool layer, or SpecError naming the layer, the numbers and a fix."""
    k, s, p, d = geometry(layer)
    if K.kind(layer.kind).family == K.CONV:
        if layer.same and s > 1:
            _fail("same_stride", i, layer, s=s)
        check_kernel(layer, i)
    elif 2 * p > k:
        _fail("pool_padding", i, layer, p=p, k=k, max_p=k // 2)
    if K.kind(layer.kind).family == K.CONV and layer.same:  # torch pads d(k − 1) in total: the size is kept
        return h, w
    span = d * (k - 1) + 1
    if span > min(h, w) + 2 * p:
        _fail("kernel_too_big", i, layer, k=k, span=span, h=h + 2 * p, w=w + 2 * p, p=p)
    oh, ow = out_size(h, k, s, p, d), out_size(w, k, s, p, d)
    if oh <= 0 or ow <= 0:  # unreachable after the check above; kept as a guard
        _fail("output_empty", i, layer, oh=oh, ow=ow, h=h, w=w)
    return oh, ow


def _check_adaptive(i: int, layer: LayerSpec, h: int, w: int) -> tuple[int, int]:
    """An adaptive pool averages windows down to out_size × out_size; it may not make the map larger."""
    n = layer.out_size
    if n > min(h, w):
        _fail("adaptive_too_big", i, layer, n=n, h=h, w=w, max_n=min(h, w))
    return n, n


def _row(i: int, layer: LayerSpec, shape: tuple, rf: tuple[int, int]) -> LayerInfo:
    """Check one layer on its input shape and describe it."""
    c, h, w = shape
    family = K.kind(layer.kind).family
    k, s, p, d = geometry(layer)
    if family in (K.CONV, K.POOL):
        h2, w2 = _check_spatial(i, layer, h, w)
    elif family == K.ADAPTIVE:
        h2, w2 = _check_adaptive(i, layer, h, w)
        k, s = adaptive_geometry(h, h2)
    else:
        h2, w2 = h, w
        if family == K.NORM and h * w == 1:
            _fail("bn_single", i, layer)
    c2 = K.out_channels(layer, c)
    size, jump = rf[0] + d * (k - 1) * rf[1], rf[1] * s
    return LayerInfo(i, layer.kind, K.kind(layer.kind).torch_name, shape, (c2, h2, w2), K.param_count(layer, c),
                     size, jump, c2 * h2 * w2 * BYTES_PER_VALUE, k, s, p, d, family == K.CONV and layer.same, family)


def validate(net: NetSpec, in_shape: tuple[int, int, int], pictures: bool = True) -> list[LayerInfo]:
    """One info row per layer for a (C, H, W) input; SpecError at the first impossible layer, or over a budget.

    pictures: the compute budget counts drawing every layer's maps too (a Layer lab release; not training).
    """
    rows, shape, rf = [], tuple(in_shape), (1, 1)
    for i, layer in enumerate(net.layers, start=1):
        row = _row(i, layer, shape, rf)
        rows.append(row)
        shape, rf = row.out_shape, (row.rf_size, row.rf_jump)
    _check_memory(rows, in_shape)
    check_forward(rows, in_shape, pictures)  # the compute budget (playground/layers/cost.py)
    return rows


def total_bytes(rows: list[LayerInfo], in_shape: tuple[int, int, int]) -> int:
    """Input plus every layer's output, float32."""
    c, h, w = in_shape
    return c * h * w * BYTES_PER_VALUE + sum(r.act_bytes for r in rows)


def _check_memory(rows: list[LayerInfo], in_shape: tuple[int, int, int]) -> None:
    """Refuse a stack whose activations exceed the budget; name the biggest layer."""
    total = total_bytes(rows, in_shape)
    if total <= BUDGET_MB * 2 ** 20:
        return
    big = max(rows, key=lambda r: r.act_bytes)
    c, h, w = big.out_shape
    raise SpecError("layers.memory", mb=round(total / 2 ** 20), budget=BUDGET_MB, w=in_shape[2], h=in_shape[1],
                    layer=big.index, kind=big.name, c=c, oh=h, ow=w, layer_mb=round(big.act_bytes / 2 ** 20))


def _back(row: LayerInfo, lo: int, hi: int, axis: int) -> tuple[int, int]:
    """The input range [lo', hi'] (unclipped) that outputs lo..hi of a row read along axis 1 (H) or 2 (W)."""
    if row.family == K.ADAPTIVE:
        n_in, n_out = row.in_shape[axis], row.out_shape[axis]
        return adaptive_window(lo, n_in, n_out)[0], adaptive_window(hi, n_in, n_out)[1]
    reach = row.dilation * (row.kernel - 1)  # [lo, hi] -> [lo·s − p, hi·s − p + d(k − 1)]
    return lo * row.stride - row.padding, hi * row.stride - row.padding + reach


def input_region(rows: list[LayerInfo], layer: int, y: int, x: int) -> tuple[int, int, int, int]:
    """Input pixels (y0, x0, y1, x1), inclusive and clipped to the image, that output (y, x) of layer depends on."""
    y0, y1, x0, x1 = y, y, x, x
    for row in reversed(rows[:layer]):  # walk back to the input
        (y0, y1), (x0, x1) = _back(row, y0, y1, 1), _back(row, x0, x1, 2)
    _, h, w = rows[0].in_shape if rows else (0, y + 1, x + 1)
    return max(y0, 0), max(x0, 0), min(y1, h - 1), min(x1, w - 1)


def size_terms(n: int, k: int, s: int, p: int, d: int) -> dict:
    """The numbers of the output-size formula ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1, for a filled-in caption."""
    top = n + 2 * p - d * (k - 1) - 1
    return {"n": n, "k": k, "s": s, "p": p, "d": d, "top": top, "out": out_size(n, k, s, p, d)}


def formula_numbers(row: LayerInfo) -> dict:
    """The formula's numbers for a row's height: H, 2p (total padding: d(k − 1) for "same"), d, k, s, result."""
    h, reach = row.in_shape[1], row.dilation * (row.kernel - 1)
    pads = reach if row.same else 2 * row.padding
    return {"h": h, "pads": pads, "d": row.dilation, "k": row.kernel, "s": row.stride,
            "top": h + pads - reach - 1, "out": row.out_shape[1]}
