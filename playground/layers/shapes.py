"""Shapes, parameter counts, receptive fields and memory of a layer stack, checked before torch runs."""
from __future__ import annotations

from dataclasses import dataclass

from playground.errors import SpecError
from playground.layers.kernels import check_kernel
from playground.spec import LayerSpec, NetSpec

# PyTorch class names: the same in every language, and what "Show PyTorch code" prints.
KIND_NAMES = {
    "conv": "Conv2d", "maxpool": "MaxPool2d", "avgpool": "AvgPool2d", "relu": "ReLU", "leakyrelu": "LeakyReLU",
    "sigmoid": "Sigmoid", "tanh": "Tanh", "gelu": "GELU", "elu": "ELU", "batchnorm": "BatchNorm2d",
}
SPATIAL = ("conv", "maxpool", "avgpool")
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


def out_size(h: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> int:
    """⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1, PyTorch's rule for conv and pooling (floor mode)."""
    return (h + 2 * p - d * (k - 1) - 1) // s + 1


def geometry(layer: LayerSpec) -> tuple[int, int, int, int]:
    """(kernel, stride, left padding, dilation) of a layer; pointwise layers are (1, 1, 0, 1)."""
    if layer.kind == "conv":
        pad = layer.dilation * (layer.kernel - 1) // 2 if layer.same else layer.padding
        return layer.kernel, layer.stride, pad, layer.dilation
    if layer.kind in ("maxpool", "avgpool"):
        return layer.kernel, layer.stride, layer.padding, 1
    return 1, 1, 0, 1


def param_count(layer: LayerSpec, in_channels: int) -> int:
    """Trainable parameters: conv weights (+ bias), BatchNorm scale and shift."""
    if layer.kind == "conv":
        return layer.out_channels * in_channels * layer.kernel ** 2 + (layer.out_channels if layer.bias else 0)
    return 2 * in_channels if layer.kind == "batchnorm" else 0


def _fail(key: str, i: int, layer: LayerSpec, **params):
    """Raise SpecError("layers.<key>") naming the 1-based layer and its PyTorch kind."""
    raise SpecError(f"layers.{key}", layer=i, kind=KIND_NAMES[layer.kind], **params)


def _check_spatial(i: int, layer: LayerSpec, h: int, w: int) -> tuple[int, int]:
    """Output (H, W) of a conv / pool layer, or SpecError naming the layer, the numbers and a fix."""
    k, s, p, d = geometry(layer)
    if layer.kind == "conv":
        if layer.same and s > 1:
            _fail("same_stride", i, layer, s=s)
        check_kernel(layer, i)
    elif 2 * p > k:
        _fail("pool_padding", i, layer, p=p, k=k, max_p=k // 2)
    if layer.kind == "conv" and layer.same:  # torch pads d(k − 1) in total: the size is kept
        return h, w
    span = d * (k - 1) + 1
    if span > min(h, w) + 2 * p:
        _fail("kernel_too_big", i, layer, k=k, span=span, h=h + 2 * p, w=w + 2 * p, p=p)
    oh, ow = out_size(h, k, s, p, d), out_size(w, k, s, p, d)
    if oh <= 0 or ow <= 0:  # unreachable after the check above; kept as a guard
        _fail("output_empty", i, layer, oh=oh, ow=ow, h=h, w=w)
    return oh, ow


def _row(i: int, layer: LayerSpec, shape: tuple, rf: tuple[int, int]) -> LayerInfo:
    """Check one layer on its input shape and describe it."""
    c, h, w = shape
    k, s, p, d = geometry(layer)
    if layer.kind in SPATIAL:
        h2, w2 = _check_spatial(i, layer, h, w)
    else:
        h2, w2 = h, w
        if layer.kind == "batchnorm" and h * w == 1:
            _fail("bn_single", i, layer)
    c2 = layer.out_channels if layer.kind == "conv" else c
    size, jump = rf[0] + d * (k - 1) * rf[1], rf[1] * s
    return LayerInfo(i, layer.kind, KIND_NAMES[layer.kind], shape, (c2, h2, w2), param_count(layer, c),
                     size, jump, c2 * h2 * w2 * BYTES_PER_VALUE, k, s, p, d, layer.kind == "conv" and layer.same)


def validate(net: NetSpec, in_shape: tuple[int, int, int]) -> list[LayerInfo]:
    """One info row per layer for a (C, H, W) input; raises SpecError at the first impossible layer."""
    rows, shape, rf = [], tuple(in_shape), (1, 1)
    for i, layer in enumerate(net.layers, start=1):
        row = _row(i, layer, shape, rf)
        rows.append(row)
        shape, rf = row.out_shape, (row.rf_size, row.rf_jump)
    _check_memory(rows, in_shape)
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


def input_region(rows: list[LayerInfo], layer: int, y: int, x: int) -> tuple[int, int, int, int]:
    """Input pixels (y0, x0, y1, x1), inclusive and clipped to the image, that output (y, x) of layer depends on."""
    y0, y1, x0, x1 = y, y, x, x
    for row in reversed(rows[:layer]):  # walk back to the input: [lo, hi] -> [lo·s − p, hi·s − p + d(k − 1)]
        reach = row.dilation * (row.kernel - 1)
        y0, y1 = y0 * row.stride - row.padding, y1 * row.stride - row.padding + reach
        x0, x1 = x0 * row.stride - row.padding, x1 * row.stride - row.padding + reach
    _, h, w = rows[0].in_shape if rows else (0, y + 1, x + 1)
    return max(y0, 0), max(x0, 0), min(y1, h - 1), min(x1, w - 1)


def formula_numbers(row: LayerInfo) -> dict:
    """The numbers of the output-size formula for a row's height: H, 2p (total padding), d, k, s, result."""
    h, reach = row.in_shape[1], row.dilation * (row.kernel - 1)
    pads = reach if row.same else 2 * row.padding
    return {"h": h, "pads": pads, "d": row.dilation, "k": row.kernel, "s": row.stride,
            "top": h + pads - reach - 1, "out": row.out_shape[1]}
