"""Layer lab renderers: the shape table, the filled-in formula, and each layer's tiled feature maps."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import streamlit as st

from playground.layers.kinds import CONV, POOL, kind
from playground.layers.shapes import BUDGET_MB, LayerInfo, formula_numbers, total_bytes
from playground.tiles import COLOUR_MAPS, SCALINGS, encode_jpeg, ranges, tile_maps
from playground.ui import bind
from playground.ui.state import cached, read, tr, write

INPUT_WIDTH = 420  # px: the photo is context; the layer pictures get the width
_POOL = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="layer-pictures")


def shape(s) -> str:
    """(C, H, W) -> 'C×H×W'."""
    return "×".join(str(v) for v in s)


def mb(n: int) -> str:
    """Bytes as megabytes, one decimal."""
    return f"{n / 2 ** 20:.1f} MB"


def shape_table(rows: list[LayerInfo], in_shape) -> None:
    """One row per layer: shapes, parameters, receptive field, memory; totals underneath."""
    head = {k: tr(f"layers.table.{k}") for k in ("index", "layer", "input", "output", "params", "rf", "memory")}
    data = [{head["index"]: r.index, head["layer"]: r.name, head["input"]: shape(r.in_shape),
             head["output"]: shape(r.out_shape), head["params"]: r.params,
             head["rf"]: tr("layers.table.rf_value", size=r.rf_size, jump=r.rf_jump), head["memory"]: mb(r.act_bytes)}
            for r in rows]
    st.dataframe(data, hide_index=True, width="stretch")
    st.caption(tr("layers.table.totals", params=sum(r.params for r in rows), mb=mb(total_bytes(rows, in_shape)),
                  budget=BUDGET_MB))


def _latex_formula(n: dict, same: bool) -> str:
    """⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1 with the numbers filled in, one step per line."""
    pads = rf"{n['pads']}" if same else rf"2\cdot{n['pads'] // 2}"
    return (r"\begin{aligned} H_{out} &= \left\lfloor \frac{H + 2p - d(k-1) - 1}{s} \right\rfloor + 1 \\"
            rf" &= \left\lfloor \frac{{{n['h']} + {pads} - {n['d']}\cdot({n['k']}-1) - 1}}{{{n['s']}}} \right\rfloor + 1 \\"
            rf" &= \left\lfloor \frac{{{n['top']}}}{{{n['s']}}} \right\rfloor + 1 = {n['out']} \end{{aligned}}")


def formula(rows: list[LayerInfo]) -> None:
    """The output-size formula, filled in for the layer the student picks (first conv / pooling layer at first)."""
    spatial = [r.index for r in rows if r.family in (CONV, POOL)]
    if not spatial:
        return
    if read("view.layers.formula_layer") not in spatial:
        write("view.layers.formula_layer", spatial[0])
    index = bind.control("view.layers.formula_layer", st.selectbox, label=tr("layers.formula.pick"), options=spatial,
                         format_func=lambda i: f"{i} · {rows[i - 1].name}")
    row = rows[index - 1]
    st.markdown(f"**{tr('layers.formula.title', i=row.index, name=row.name)}**")
    st.latex(_latex_formula(formula_numbers(row), row.same))
    st.caption(tr("layers.formula.legend") + (" " + tr("layers.formula.same") if row.same else ""))


def view_options() -> tuple[str, str]:
    """Colour map and scaling for every feature-map picture."""
    left, right = st.columns(2)
    with left:
        cmap = bind.choice("view.layers.cmap", "layers.maps.cmap", "layers.maps.cmaps", horizontal=True,
                           help_key="layers.maps.cmap_help", options=COLOUR_MAPS)
    with right:
        scaling = bind.choice("view.layers.scaling", "layers.maps.scaling", "layers.maps.scalings", horizontal=True,
                              help_key="layers.maps.scaling_help", options=SCALINGS)
    return cmap, scaling


def _encode(maps, cmap: str, scaling: str) -> tuple[bytes, float, float]:
    """One layer's tiled JPEG and its raw min / max."""
    lo, hi = ranges(maps)
    return encode_jpeg(tile_maps(maps, cmap, scaling, lo_hi=(lo, hi))), float(lo.min()), float(hi.max())


def encoded_layers(result, cmap: str, scaling: str, slot: str = "main") -> list[tuple[bytes, float, float]]:
    """Every layer's picture, drawn on all cores (OpenCV and numpy release the GIL), cached per view."""
    return cached(f"pictures.{slot}", (result.key, cmap, scaling),
                  lambda: list(_POOL.map(lambda maps: _encode(maps, cmap, scaling), result.maps)))


def layer_picture(encoded: tuple[bytes, float, float], row: LayerInfo) -> None:
    """All channels of one layer as ONE labelled image, with the raw value range stated."""
    data, lo, hi = encoded
    caption = tr("layers.maps.caption", i=row.index, name=row.name, shape=shape(row.out_shape), lo=lo, hi=hi)
    st.image(data, caption=caption, width="stretch")
    if note := kind(row.kind).note:
        st.caption(tr(note))


def input_picture(image, in_shape) -> None:
    """The image the first layer sees (shown before normalization)."""
    st.image(encode_jpeg(image if image.shape[-1] == 3 else image.repeat(3, -1)),
             caption=tr("layers.maps.input", shape=shape(in_shape)), width=INPUT_WIDTH)


def stack_column(result, cmap: str, scaling: str, title: str, slot: str) -> None:
    """A compact view of one stack: its table and every layer's picture, top to bottom."""
    st.markdown(f"**{title}**")
    st.dataframe([{tr("layers.table.layer"): f"{r.index} {r.name}", tr("layers.table.output"): shape(r.out_shape)}
                  for r in result.rows], hide_index=True, width="stretch")
    for encoded, row in zip(encoded_layers(result, cmap, scaling, slot), result.rows, strict=False):
        layer_picture(encoded, row)
