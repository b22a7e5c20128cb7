"""The stage: one layer of the stack on one screen, large enough for a projector's back row.

Its controls (kernel size, stride, padding, channels) are bound to the same spec paths as the editor's, under
their own widget keys (`prefix`), so locks, validation and the share link work unchanged and two stages (the
Layer lab and a lesson scene) never collide. It draws few elements, and its pictures are sized for the screen
and encoded once per (input, stack, layer, view): a slider release repaints it first, before the rest of the lab.
"""
from __future__ import annotations

from dataclasses import replace
from time import perf_counter, sleep

import cv2
import numpy as np
import streamlit as st

from playground.colours import lut
from playground.describe import layer_facts
from playground.errors import SpecError
from playground.layers.kinds import kind, shows
from playground.layers.shapes import validate
from playground.tiles import encode_jpeg, ranges, to_unit
from playground.ui import alt, bind, messages
from playground.ui.layer_lab import maps_view
from playground.ui.layer_lab.editor import kind_label
from playground.ui.layer_lab.run import (
    SHIPPED,
    Outcome,
    current_result,
    digit_result,
    heavy_turn,
    prepared_input,
    shipped_applies,
    trained_run,
    with_trained,
)
from playground.ui.state import button_key, get_spec, memo, read, spec_with, sync_query, tr, widget_key, write

FIELDS = ("kernel", "stride", "padding", "out_channels")  # the stage's controls, in this order
AHEAD = ("kernel", "stride")  # sliders whose neighbouring values' maps are sent ahead (maps_view)
PICTURES_KEPT = 12  # encoded output pictures a stage keeps (the current one, its neighbours, the last few)
AHEAD_BUDGET_S = 0.1  # s: no neighbour's maps are started after this long on the others (a light session's cap)
SHOWN = 4  # output maps drawn large: a 2×2 grid
TILE = 240  # px: one map's longer side in the stage's pictures (≥ 100 px on a projector and a phone)
LAYER_PATH = "view.layers.stage"  # the layer the Layer lab's stage shows (0-based)
HEAD_START_S = 0.06  # after a new stage picture, the stage pauses this long before its neighbours (see head_start)

# Stage text for the back row: 1rem is 20 px in projector mode (theme.PROJECTOR_CSS sets html to 125 %).
STAGE_CSS = """
<style>
[class*="st-key-stage-box-"] [data-testid="stWidgetLabel"] p { font-size: 1rem !important; font-weight: 600; }
[class*="st-key-stage-box-"] [data-testid="stSliderThumbValue"],
[class*="st-key-stage-box-"] [data-testid="stSliderTickBarMin"],
[class*="st-key-stage-box-"] [data-testid="stSliderTickBarMax"] { font-size: 1rem !important; }
[class*="st-key-stage-box-"] [data-testid="stMarkdownContainer"] p { font-size: 1rem; margin-bottom: 0.25rem; }
[class*="st-key-stage-title-"] [data-testid="stMarkdownContainer"] p,
[class*="st-key-stage-shape-"] [data-testid="stMarkdownContainer"] p { font-size: 1.25rem !important; font-weight: 700;
  margin: 0; }
/* A phone stacks the columns: the output maps come right under the nav, before the sliders and the input. */
@media (max-width: 640px) {
  [data-testid="stColumn"]:has(> div > div > [class*="st-key-stage-out-"]),
  [data-testid="stColumn"]:has([class*="st-key-stage-out-"]) { order: -1; }
}
</style>
"""


def shown_outcome(spec, working, upto: int | None = None, slot: str = "stage") -> Outcome:
    """What the lab shows of layers 1..upto (all without upto), read from the stored view settings (no widgets): the
    stack on the picture, the shipped digit network on its digit, or a trained run's weights when the lab's switch
    shows them. Only the layers up to the one on stage run here, so its pictures come before the rest of the stack."""
    if shipped_applies(spec) and read("view.layers.shipped"):
        return Outcome(with_trained(digit_result(spec, read("view.layers.digit")), SHIPPED))
    head = spec if upto is None else spec.set("net.layers", spec.net.layers[:upto])
    if head != spec and (refused := _whole_stack_refused(spec, working)) is not None:
        return refused  # the whole stack is over a server budget: not even its first layers run
    if upto is not None and read("view.layers.stage_sized") and (j := sized_layer(spec)) is not None and j < upto:
        layers = head.net.layers
        head = head.set("net.layers", (*layers[:j], replace(layers[j], init="sized"), *layers[j + 1:]))  # sized to k
    outcome = current_result(head, working, slot=slot)
    if outcome.error is not None or outcome.result is None:
        return outcome
    if read("view.layers.trained") and (run := trained_run(spec, outcome.result.in_shape[0])) is not None:
        return Outcome(with_trained(outcome.result, run))  # the trained stack cut to the layers shown
    return outcome


def sized_layer(spec) -> int | None:
    """The 0-based index of the stack's first convolution when its weights are random (the one the stage gives blur
    and edge kernels sized to k), else None."""
    for j, layer in enumerate(spec.net.layers):
        if layer.kind == "conv":
            return j if layer.init == "random" else None
    return None


def _whole_stack_refused(spec, working) -> Outcome | None:
    """An outcome with the error when the whole stack fails a budget of the server (memory, compute), else None.

    Shapes alone decide it (shapes.validate), so nothing runs; an error at one layer is left to the layers shown."""
    try:
        prepared, _ = prepared_input(spec, working)
        validate(spec.net, tuple(prepared.tensor.shape[1:]))
    except SpecError as exc:
        if exc.params.get("layer") is None or exc.key == "layers.memory":
            return Outcome(None, exc)
    return None


def shape_text(s) -> str:
    """(C, H, W) -> '16×169×254'."""
    return "×".join(str(v) for v in s)


def _step(path: str, n: int, by: int) -> None:
    """on_click of previous / next: the neighbouring layer, kept inside the stack."""
    write(path, min(max(read(path) + by, 0), n - 1))


def _nav(prefix: str, path: str | None, i: int, n: int, name: str, shape: str) -> None:
    """Previous / next layer (one click either way) beside 'Layer 2 of 6: ReLU', then the shape change."""
    row = st.container(horizontal=True, vertical_alignment="center", gap="small", key=f"stage-title-{prefix}")
    if path is not None:
        row.button(tr("stage.prev"), key=button_key(f"{prefix}.prev"), icon=":material/arrow_back:", disabled=i <= 0,
                   on_click=_step, args=(path, n, -1))
        row.button(tr("stage.next"), key=button_key(f"{prefix}.next"), icon=":material/arrow_forward:",
                   disabled=i >= n - 1, on_click=_step, args=(path, n, 1))
    row.markdown(f"**{tr('stage.layer', i=i + 1, n=n, name=name)}**")
    if shape:
        st.container(key=f"stage-shape-{prefix}").markdown(shape, help=tr("stage.shape_help"))


def stage_fields(layer) -> list[str]:
    """The stage's controls (FIELDS) that this layer has and shows."""
    entry = kind(layer.kind)
    return [f for f in FIELDS if f in entry.fields + entry.more and shows(layer, f)]


def _controls(i: int, prefix: str) -> None:
    """The chosen layer's kernel size, stride, padding and channels, bound to the spec (as in the editor)."""
    layer = get_spec().net.layers[i]
    names = stage_fields(layer)
    if not names:
        st.markdown(tr(f"layers.about.{layer.kind}"))
        return
    for name in names:
        bind.slider(f"net.layers.{i}.{name}", f"layers.editor.{name}", prefix=prefix)


def _weights_switch(i: int, prefix: str) -> None:
    """On the first random conv: blur and edge kernels sized to k, or the stack's random weights, and what each shows."""
    if sized_layer(get_spec()) != i:
        return
    bind.toggle("view.layers.stage_sized", "stage.sized", "stage.sized_help", prefix=prefix)
    st.caption(tr("stage.sized_note" if read("view.layers.stage_sized") else "stage.random_note"))


def _fit(image: np.ndarray) -> np.ndarray:
    """A small picture (a 28×28 digit) enlarged by whole pixels towards TILE; its pixels stay visible."""
    n = max(1, TILE // max(image.shape[:2]))
    return image.repeat(n, 0).repeat(n, 1) if n > 1 else image


def grid_picture(maps: np.ndarray, cmap: str, scaling: str) -> bytes:
    """Up to SHOWN maps of (C, H, W) as one 2-column JPEG, each map's longer side about TILE px, 6 px apart."""
    maps = maps[:SHOWN]
    lo, hi = ranges(maps)  # raw extremes of the maps shown, as the lab's own pictures scale them
    h, w = maps.shape[1:]
    units = to_unit(_scaled(maps, TILE / max(h, w)), lo, hi, cmap, scaling)  # (n, th, tw) uint8
    n, th, tw = units.shape
    cols, gap = min(n, 2), 6
    rows = -(-n // cols)
    grid = np.full((rows * (th + gap) - gap, cols * (tw + gap) - gap, 3), 255, np.uint8)
    for k, tile in enumerate(lut(cmap)[units]):  # (th, tw, 3) each
        y, x = (k // cols) * (th + gap), (k % cols) * (tw + gap)
        grid[y:y + th, x:x + tw] = tile
    return encode_jpeg(grid)


def _scaled(maps: np.ndarray, f: float) -> np.ndarray:
    """Maps resized by f: whole-pixel blocks up (a 28×28 digit's pixels stay visible), area means down."""
    h, w = maps.shape[1:]
    size = (max(1, round(w * f)), max(1, round(h * f)))
    interp = cv2.INTER_NEAREST if f >= 1 else cv2.INTER_AREA
    return np.stack([cv2.resize(np.ascontiguousarray(m, np.float32), size, interpolation=interp) for m in maps])


def _pictures(result, i: int, cmap: str, scaling: str, prefix: str) -> tuple[tuple[bytes, str], tuple[bytes, str]]:
    """((input JPEG, alt), (output JPEG, alt)) of layer i, each made once per (input, layers up to it, view).

    The input does not depend on layer i's settings: dragging its slider encodes only the output again, or not at
    all when it was sent ahead as a neighbour (_output_picture)."""
    store = memo(f"stage.{prefix}")
    wanted_in = _picture_key(result, i, i, cmap, scaling)
    if store.get("in", (None,))[0] != wanted_in:
        store["in"] = (wanted_in, _picture(result, i - 1, cmap, scaling))
    out_key = _out_key(result, i, cmap, scaling)
    store["new"] = store.get("out") != out_key and out_key not in store.get("ahead", ())  # not painted yet
    store["out"] = out_key
    return store["in"][1], _output_picture(result, i, cmap, scaling, prefix)


def _picture_key(result, upto: int, i: int, cmap: str, scaling: str) -> tuple:
    """What a stage picture of layer i depends on: the input (or the trained run), layers 1..upto, the view."""
    net, source = result.net, (result.key if result.stack is not None else result.input_key)  # trained: its run
    return source, net.seed, net.layers[:upto], i, cmap, scaling


def _out_key(result, i: int, cmap: str, scaling: str) -> tuple:
    """What layer i's output picture depends on (_picture_key up to layer i itself)."""
    return _picture_key(result, i + 1, i, cmap, scaling)


def _output_picture(result, i: int, cmap: str, scaling: str, prefix: str) -> tuple[bytes, str]:
    """Layer i's output picture and alt, kept among the stage's last PICTURES_KEPT (neighbours sent ahead too)."""
    key = _out_key(result, i, cmap, scaling)
    kept = memo(f"stage.{prefix}.pictures")
    picture = kept.pop(key, None) or _picture(result, i, cmap, scaling)
    kept[key] = picture  # newest last
    while len(kept) > PICTURES_KEPT:
        kept.pop(next(iter(kept)))
    return picture


def _ahead(spec, working, i: int, prefix: str, cmap: str, scaling: str) -> dict[tuple, tuple[bytes, str]]:
    """{slider values: (JPEG, alt)} of layer i with one AHEAD slider a step up or down (the other sliders as now):
    what the stage will show after that key press, computed as the run after it would (shown_outcome). Values the
    spec refuses, a server budget refuses, or that fail a layer are left out; a locked or hidden slider gets none,
    a heavy session none, and none is started once AHEAD_BUDGET_S have gone on the others."""
    sent = memo(f"stage.{prefix}")["ahead"] = set()  # their picture keys: the browser paints them without a run
    if heavy_turn():
        return {}
    started = perf_counter()
    layer, names = spec.net.layers[i], stage_fields(spec.net.layers[i])
    now = tuple(getattr(layer, f) for f in names)
    ahead, tried = {}, False
    for j, name in enumerate(names):
        path = f"net.layers.{i}.{name}"
        if name not in AHEAD or bind.locked(path) or bind.hidden(path):
            continue
        lim = bind.limit_of(path)
        for value in (now[j] - lim.step, now[j] + lim.step):
            if not lim.min <= value <= lim.max or (tried and perf_counter() - started > AHEAD_BUDGET_S):
                continue
            tried = True
            try:
                near = spec_with(spec, path, value)
            except SpecError:
                continue
            outcome = shown_outcome(near, working, i + 1, f"stage.{prefix}.ahead")
            if outcome.error is None and outcome.result is not None and i < len(outcome.result.rows):
                ahead[(*now[:j], value, *now[j + 1:])] = _output_picture(outcome.result, i, cmap, scaling, prefix)
                sent.add(_out_key(outcome.result, i, cmap, scaling))
    return ahead


def drew_new_picture(prefix: str = "stage") -> bool:
    """True when this run's stage drew an output picture that differs from the one it drew last (a release of its
    slider, another layer, another input), so the browser has a new picture to fetch."""
    return bool(memo(f"stage.{prefix}").pop("new", False))


def head_start(prefix: str = "stage") -> None:
    """Give the stage's new picture a head start over the neighbours' maps and the rest of the Layer lab, which
    its run computes after it.

    While the script computes, it holds the GIL and the cores, so the stage's messages leave late, and the
    browser, busy applying the rest, paints the picture last (docs/benchmarks.md, "Stage"). A short sleep here
    lets the server send the stage and the browser paint it first. Not for a picture sent ahead (the browser
    painted it before the run), nor in a heavy session's turn (run.heavy_share), which holds the cores others wait
    for."""
    if drew_new_picture(prefix) and not heavy_turn():
        sleep(HEAD_START_S)


def _picture(result, j: int, cmap: str, scaling: str) -> tuple[bytes, str]:
    """Layer j's first maps as a JPEG and its alt text; j = -1: the input picture."""
    if j < 0:
        image = result.image if result.image.shape[-1] == 3 else result.image.repeat(3, -1)
        return encode_jpeg(_fit(image)), alt.input_image(result.image)
    maps = result.maps[j][:SHOWN]
    return grid_picture(maps, cmap, scaling), alt.layer_maps(layer_facts(maps), j + 1, result.rows[j].name)


def _show(result, i: int, prefix: str, source_col, output_col, fixed: bool = False) -> str:
    """The layer's input in one column, its output maps (large) in the other; fixed: the maps stay dimmed whatever
    the sliders say (the last valid pictures, under an error). Returns the id of the maps' picture, which the
    neighbours sent after them name (_send_ahead)."""
    row = result.rows[i]
    cmap, scaling = read("view.layers.cmap"), read("view.layers.scaling")
    (source, source_alt), output = _pictures(result, i, cmap, scaling, prefix)
    with source_col:
        st.markdown(tr("stage.input") if i == 0 else tr("stage.input_maps", n=min(SHOWN, row.in_shape[0]),
                                                             c=row.in_shape[0]))
        st.image(source, alt=source_alt)
    layer, names = result.net.layers[i], stage_fields(result.net.layers[i])
    now = tuple(getattr(layer, f) for f in names)
    with output_col.container(key=f"stage-out-{prefix}"):
        st.markdown(tr("stage.output", n=min(SHOWN, row.out_shape[0]), c=row.out_shape[0]))
        anchor = maps_view.show(f"stage-box-{prefix}", [widget_key(f"net.layers.{i}.{f}", prefix) for f in names],
                                now, output, key=f"stage-maps-{prefix}", sent=memo(f"stage.{prefix}.sent"),
                                fixed=fixed)
    return anchor


def _send_ahead(spec, working, i: int, prefix: str, anchor: str) -> None:
    """After the stage's maps have gone out: the neighbouring values' maps (_ahead), for the browser to paint on
    the next key press without waiting for its run."""
    pictures = _ahead(spec, working, i, prefix, read("view.layers.cmap"), read("view.layers.scaling"))
    maps_view.send_ahead(f"stage-box-{prefix}", anchor, pictures, key=f"stage-ahead-{prefix}",
                         sent=memo(f"stage.{prefix}.sent"))


def draw_stage(spec, working, prefix: str = "stage", index: int | None = None, path: str = LAYER_PATH) -> Outcome:
    """One layer large: its controls, its input, its output maps and the shape change, previous / next one click.

    spec, working: the pipeline and the working picture (images.working_image); prefix: names this stage's widgets
    and pictures; index: show this layer (0-based) with no previous / next, else the layer stored at `path`.
    Returns the outcome it drew (layers 1 to the one on stage).
    """
    n = len(spec.net.layers)
    if n == 0:
        return Outcome(None)
    i = min(max(index if index is not None else read(path), 0), n - 1)
    outcome = shown_outcome(spec, working, i + 1, f"stage.{prefix}")
    result = outcome.result
    ok = result is not None and i < len(result.rows)
    shape = tr("stage.shape", before=shape_text(result.rows[i].in_shape),
               after=shape_text(result.rows[i].out_shape)) if ok else ""
    with st.container(key=f"stage-box-{prefix}", border=True):
        st.html(STAGE_CSS)
        _nav(prefix, path if index is None else None, i, n, kind_label(spec.net.layers[i].kind), shape)
        controls, source, output = st.columns([3, 3, 4], gap="medium")
        with controls:
            _controls(i, prefix)
        if ok:
            anchor = _show(result, i, prefix, source, output)
            with output:
                _weights_switch(i, prefix)
            head_start(prefix)
            _send_ahead(spec, working, i, prefix, anchor)
            return outcome
        if outcome.error is not None:
            output.error(messages.error_text(outcome.error))
        if (stale := outcome.stale) is not None and i < len(stale.rows):
            _show(stale, i, prefix, source, output, fixed=True)  # the last pictures stay, under the message
    return outcome



@st.fragment
def stage_fragment(working, prefix: str = "stage") -> None:
    """The stage in a fragment of its own (the Layer lab with only the stage on show, a lesson scene): a release of
    its slider reruns these few elements alone, and keeps the address bar a share link."""
    bind.twins_settled()  # its rerun does not pass through the Layer lab's
    draw_stage(get_spec(), working, prefix)
    sync_query()  # a fragment rerun does not reach app.py's sync
