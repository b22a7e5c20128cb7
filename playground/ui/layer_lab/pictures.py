"""Layer lab renderers: the shape table, the filled-in formula, and each layer's tiled feature maps."""
from __future__ import annotations

import streamlit as st

from playground.colours import COLOUR_MAPS
from playground.describe import LayerFacts, layer_facts
from playground.layers.kinds import kind
from playground.layers.shapes import BUDGET_MB, LayerInfo, formula_numbers, geometry, size_terms, total_bytes
from playground.model import RUN_GATE, party
from playground.shared import SHARED
from playground.tiles import LARGE_COLS, SCALINGS, encode_jpeg, ranges, tile_maps
from playground.ui import alt, bind
from playground.ui.layer_lab.field import table_cell as rf_cell
from playground.ui.state import memo, read, session_party, tr, write
from playground.ui.tables import table

INPUT_WIDTH = 420  # px: the photo is context; the layer pictures get the width


def shape(s) -> str:
    """(C, H, W) -> 'C×H×W'."""
    return "×".join(str(v) for v in s)


def mb(n: int) -> str:
    """Bytes as megabytes, one decimal."""
    return f"{n / 2 ** 20:.1f} MiB"


def shape_table(rows: list[LayerInfo], in_shape, hide_params: bool = False) -> None:
    """One row per layer: shapes, parameters, receptive field, memory; totals underneath. hide_params: the
    parameter counts read "?" (a "Check yourself" question below asks for one and is not checked yet)."""
    header = [tr(f"layers.table.{k}") for k in ("index", "layer", "input", "output", "params", "rf", "memory")]
    hidden = tr("exercises.hidden.cell")
    data = [[r.index, r.name, shape(r.in_shape), shape(r.out_shape), hidden if hide_params else r.params,
             rf_cell(r), mb(r.act_bytes)] for r in rows]
    table(header, data, align_right=(0, 4, 6), key="layers")
    if hide_params:
        st.caption(tr("exercises.hidden.totals", mb=mb(total_bytes(rows, in_shape)), budget=BUDGET_MB))
        return
    st.caption(tr("layers.table.totals", params=sum(r.params for r in rows), mb=mb(total_bytes(rows, in_shape)),
                  budget=BUDGET_MB))


def _latex_formula(n: dict, same: bool) -> str:
    """⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1 with the numbers filled in, one step per line."""
    pads = rf"{n['pads']}" if same else rf"2\cdot{n['pads'] // 2}"
    return (r"\begin{aligned} H_{out} &= \left\lfloor \frac{H + 2p - d(k-1) - 1}{s} \right\rfloor + 1 \\"
            rf" &= \left\lfloor \frac{{{n['h']} + {pads} - {n['d']}\cdot({n['k']}-1) - 1}}{{{n['s']}}} \right\rfloor + 1 \\"
            rf" &= \left\lfloor \frac{{{n['top']}}}{{{n['s']}}} \right\rfloor + 1 = {n['out']} \end{{aligned}}")


def formula(rows: list[LayerInfo], net, failed_at: int | None = None) -> None:
    """The output-size formula with the numbers filled in: for the layer that failed, with its new numbers;
    otherwise for the layer the student picks (the first conv / pooling layer at first)."""
    if failed_at is not None and kind(net.layers[failed_at - 1].kind).family.windowed:
        failed_formula(net.layers[failed_at - 1], failed_at, rows[-1].out_shape if rows else None)
        return
    spatial = [r.index for r in rows if r.family.windowed]
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


def failed_formula(layer, index: int, in_shape) -> None:
    """The formula with the layer's new kernel / stride / padding / dilation: the result shows why it fails."""
    if in_shape is None:
        return
    k, s, p, d = geometry(layer)
    n = size_terms(in_shape[1], k, s, p, d)
    numbers = {"h": n["n"], "pads": 2 * p, "d": d, "k": k, "s": s, "top": n["top"], "out": n["out"]}
    st.markdown(f"**{tr('layers.formula.title', i=index, name=kind(layer.kind).torch_name)}**")
    st.latex(_latex_formula(numbers, False))
    st.caption(tr("layers.formula.failed", out=n["out"]))


def view_options() -> tuple[str, str]:
    """Colour map, scaling and tile size for every feature-map picture."""
    left, right = st.columns(2)
    with left:
        cmap = bind.choice("view.layers.cmap", "layers.maps.cmap", "layers.maps.cmaps", horizontal=True,
                           help_key="layers.maps.cmap_help", options=COLOUR_MAPS)
    with right:
        scaling = bind.choice("view.layers.scaling", "layers.maps.scaling", "layers.maps.scalings", horizontal=True,
                              help_key="layers.maps.scaling_help", options=SCALINGS)
        bind.toggle("view.layers.large", "layers.maps.large", "layers.maps.large_help")
    return cmap, scaling


def _encode(maps, cmap: str, scaling: str, cols: int = 8) -> tuple[bytes, float, float, LayerFacts]:
    """One layer's tiled JPEG, its raw min / max, and the facts its text alternative tells."""
    lo, hi = ranges(maps)
    return (encode_jpeg(tile_maps(maps, cmap, scaling, lo_hi=(lo, hi), max_cols=cols)), float(lo.min()),
            float(hi.max()), layer_facts(maps))


def encoded_layers(result, cmap: str, scaling: str, slot: str = "main") -> list[tuple]:
    """Every layer's picture, cached per layer; each drawn in one fair turn of the forward pass's gate
    (playground/model.py: RUN_GATE), so drawing is shared out between sessions like the forward pass.

    A layer's picture is named by the input, the stack up to that layer and the view, so after an edit of
    layer k only layers k… are drawn again. Maps from trained weights are named by their run instead.
    """
    cols = LARGE_COLS if read("view.layers.large") else 8
    own = result.stack is not None or not result.input_key  # trained weights: this tab's own pictures
    if own:
        keys = [(result.key, i, cmap, scaling, cols) for i in range(len(result.maps))]
    else:  # seeded weights: the same pictures in every tab on this input and stack, drawn once per server
        net = result.net
        keys = [(result.input_key, net.seed, net.layers[:i + 1], cmap, scaling, cols) for i in range(len(result.maps))]
    store = memo(f"pictures.{slot}")
    who = party(session_party())
    for k in keys:
        if k not in store and not own and (hit := SHARED.get(("layers.picture", k))) is not None:
            store[k] = hit
    for i, k in enumerate(keys):
        if k not in store:
            with RUN_GATE.turn(who):
                store[k] = _encode(result.maps[i], cmap, scaling, cols)
            if not own:
                SHARED.put(("layers.picture", k), store[k])
    for k in set(store) - set(keys):  # keep only the pictures of the stack on show
        del store[k]
    return [store[k] for k in keys]


def layer_picture(encoded: tuple, row: LayerInfo, stale: bool = False) -> None:
    """All channels of one layer as ONE labelled image, with the raw value range stated.

    stale: drawn from the last valid setting (a later error stopped this layer), and said so above it.
    """
    data, lo, hi, facts = encoded
    caption = tr("layers.maps.caption", i=row.index, name=row.name, shape=shape(row.out_shape), lo=lo, hi=hi)
    if stale:
        st.warning(tr("layers.maps.stale", i=row.index), icon=":material/history:")
        caption = tr("layers.maps.stale_caption", caption=caption)
    st.image(data, caption=caption, width="stretch", alt=alt.layer_maps(facts, row.index, row.name))
    if note := kind(row.kind).note:
        st.caption(tr(note))


def input_picture(image, in_shape) -> None:
    """The image the first layer sees (shown before normalization)."""
    st.image(encode_jpeg(image if image.shape[-1] == 3 else image.repeat(3, -1)),
             caption=tr("layers.maps.input", shape=shape(in_shape)), width=INPUT_WIDTH, alt=alt.input_image(image))


def stack_column(result, cmap: str, scaling: str, title: str, slot: str) -> None:
    """A compact view of one stack: its table and every layer's picture, top to bottom."""
    st.markdown(f"**{title}**")
    table([tr("layers.table.layer"), tr("layers.table.output")],
          [[f"{r.index} {r.name}", shape(r.out_shape)] for r in result.rows])
    for encoded, row in zip(encoded_layers(result, cmap, scaling, slot), result.rows, strict=False):
        layer_picture(encoded, row)
