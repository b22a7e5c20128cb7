"""Shapes, parameter counts, receptive fields and memory of a layer stack, checked before torch runs.

Each layer's family (playground/layers/families.py) owns its shape rule, parameter count and receptive
field; this module walks the stack with them and checks the memory and compute budgets.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from playground.errors import SpecError
from playground.layers import kinds as K
from playground.layers.cost import check_forward
from playground.layers.families import Family, Field, out_size  # noqa: F401 - out_size: the rule callers read here
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
    rf_size: int  # receptive field height, in input pixels (the largest window when they differ)
    rf_jump: float  # input pixels between neighbouring outputs, down the height (below 1 after a transposed conv)
    act_bytes: int  # float32 bytes of this layer's output
    kernel: int = 1
    stride: int = 1
    padding: int = 0  # left/top padding actually used ("same" resolved)
    dilation: int = 1
    same: bool = False  # conv "same" padding: total padding d(k − 1), the odd pixel on the bottom/right
    family: Family = K.POINTWISE  # the kind's family (playground/layers/families.py)
    rf_size_w: int = 1  # receptive field width and step across it
    rf_jump_w: float = 1
    rf_uneven: bool = False  # windows differ in size (adaptive pooling, transposed conv): rf_size is the largest
    rf_whole: bool = False  # a layer up to here reads its whole input map (BatchNorm's own statistics)


def geometry(layer: LayerSpec) -> tuple[int, int, int, int]:
    """(kernel, stride, left padding, dilation) of a layer's window; layers without one are (1, 1, 0, 1)."""
    return K.kind(layer.kind).family.geometry(layer)


def _row(i: int, layer: LayerSpec, shape: tuple, field: tuple[Field, Field], whole: bool) -> LayerInfo:
    """Check one layer on its input shape and describe it (its family's shape rule and receptive field)."""
    entry = K.kind(layer.kind)
    family = entry.family
    c2, h2, w2 = family.out_shape(i, layer, entry, shape)
    k, s, p, d = family.geometry(layer)
    row = LayerInfo(i, layer.kind, entry.torch_name, shape, (c2, h2, w2), family.params(layer, shape[0]), 1, 1,
                    c2 * h2 * w2 * BYTES_PER_VALUE, k, s, p, d, "same" in entry.more and layer.same, family)
    fh, fw = family.field(row, 1, field[0]), family.field(row, 2, field[1])
    return replace(row, rf_size=fh.size, rf_jump=fh.jump, rf_size_w=fw.size, rf_jump_w=fw.jump,
                   rf_uneven=fh.uneven or fw.uneven, rf_whole=whole or family.whole_map)


def validate(net: NetSpec, in_shape: tuple[int, int, int], pictures: bool = True) -> list[LayerInfo]:
    """One info row per layer for a (C, H, W) input; SpecError at the first impossible layer, or over a budget.

    pictures: the compute budget counts drawing every layer's maps too (a Layer lab release; not training).
    """
    rows, shape, field, whole = [], tuple(in_shape), (Field(), Field()), False
    for i, layer in enumerate(net.layers, start=1):
        row = _row(i, layer, shape, field, whole)
        rows.append(row)
        shape, whole = row.out_shape, row.rf_whole
        field = (Field(row.rf_size, row.rf_jump, row.rf_uneven), Field(row.rf_size_w, row.rf_jump_w, row.rf_uneven))
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


@dataclass(frozen=True)
class Footprint:
    """The input pixels one output position reads, along each axis, and whether a layer reads whole maps.

    rows / cols: bool masks over the input's height and width; the pixels read are their product (every
    layer here works on each axis alone). Both empty: the output reads only padding (or a transposed conv's
    gaps). whole_at: the 1-based index of the first layer on the way that reads its whole input map
    (BatchNorm with the picture's own statistics), or None.
    """

    rows: np.ndarray
    cols: np.ndarray
    whole_at: int | None

    @property
    def empty(self) -> bool:
        """True when no input pixel reaches the output: it sees only padding."""
        return not (self.rows.any() and self.cols.any())

    @property
    def box(self) -> tuple[int, int, int, int] | None:
        """(y0, x0, y1, x1), inclusive: the smallest rectangle holding every pixel read; None when empty."""
        if self.empty:
            return None
        ys, xs = np.flatnonzero(self.rows), np.flatnonzero(self.cols)
        return int(ys[0]), int(xs[0]), int(ys[-1]), int(xs[-1])


def footprint(rows: list[LayerInfo], layer: int, y: int, x: int) -> Footprint:
    """What output (y, x) of 1-based layer `layer` reads in the input, walking back through each family."""
    last = rows[layer - 1]
    ys, xs = np.zeros(last.out_shape[1], bool), np.zeros(last.out_shape[2], bool)
    ys[y], xs[x] = True, True
    whole = None
    for row in reversed(rows[:layer]):  # walk back to the input
        ys, xs = row.family.back(row, ys, 1), row.family.back(row, xs, 2)
        whole = row.index if row.family.whole_map else whole
    return Footprint(ys, xs, whole)


def input_region(rows: list[LayerInfo], layer: int, y: int, x: int) -> tuple[int, int, int, int] | None:
    """Input pixels (y0, x0, y1, x1), inclusive, that output (y, x) of layer reads; None when only padding."""
    return footprint(rows, layer, y, x).box


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
