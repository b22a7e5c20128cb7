"""Layer lab: edit a conv / pool / activation stack and watch every layer's shapes and feature maps.

Everything below the title runs in one st.fragment: moving a slider reruns the editor, the run and the
pictures, not the sidebar, the title or the explanations (docs/benchmarks.md).
"""
from __future__ import annotations

import streamlit as st

from playground.layers.stacks import DEFAULT_STACK, READY_STACKS
from playground.layers.torchcode import stack_code
from playground.ui import bind, explain, images, messages, state, theme
from playground.ui.exercises import panel as exercises
from playground.ui.exercises import session as exercise_session
from playground.ui.layer_lab import pictures, stage, trained_note
from playground.ui.layer_lab.editor import edit_layer, set_layers, stack_toolbar
from playground.ui.layer_lab.run import (
    SHIPPED,
    Outcome,
    current_result,
    digit_result,
    heavy_share,
    shipped_applies,
    trained_run,
    with_trained,
)
from playground.ui.layer_lab.zoom import zoom_section
from playground.ui.runtime import pacing
from playground.ui.state import LAYERS_SEEDED, get_spec, read, tr

DIGIT_ZOOM = 8  # a 28×28 digit is shown enlarged by nearest neighbour: its pixels stay visible, no JPEG blur


def first_visit() -> None:
    """An empty stack gets the default ready stack once per session, so there is something to see."""
    if not st.session_state.get(LAYERS_SEEDED):
        st.session_state[LAYERS_SEEDED] = True
        if not get_spec().net.layers:  # the default the teacher saw too: also under a lock
            set_layers(READY_STACKS[DEFAULT_STACK], seed=True)


def editor_rows(n: int):
    """The input row and one row per layer: editor on the left; returns the right-hand slots for pictures."""
    with st.container(key=theme.LAYER_ROWS):  # on a tablet the CSS stacks each row: the pictures get the width
        left, right = st.columns([2, 5])
        left.markdown(f"**{tr('layers.page.input_row')}**")
        left.caption(tr("layers.shipped.input_help" if showing_digit() else "layers.page.input_help"))
        slots = [right.container()]
        for i in range(n):
            left, right = st.columns([2, 5])
            with left:
                edit_layer(i)
            slots.append(right.container())
    return slots


def summary(outcome: Outcome) -> None:
    """The error on top (it is repeated at its layer), then the shape table and the formula."""
    result = outcome.result or outcome.stale
    if outcome.error is not None:
        st.error(messages.error_text(outcome.error))
        st.caption(tr("layers.page.error_at", i=outcome.failed_at) if outcome.failed_at else tr("layers.page.showing_last"))
    if result is None or not result.rows:
        return
    table, formula = st.container(key=theme.SUMMARY).columns([5, 3])  # stacked on a tablet and a projector
    with table:
        pictures.shape_table(result.rows, result.in_shape, hide_params=exercise_session.hides("layers", "params"))
    with formula:
        pictures.formula(result.rows, get_spec().net, outcome.failed_at)


def draw_pictures(slots, outcome: Outcome, cmap: str, scaling: str) -> None:
    """The input, each computed layer, the error at its layer, and (marked) last valid pictures after it."""
    result = outcome.result
    if (shown := result or outcome.stale) is not None:
        with slots[0]:
            image = shown.image.repeat(DIGIT_ZOOM, 0).repeat(DIGIT_ZOOM, 1) if showing_digit(shown) else shown.image
            pictures.input_picture(image, shown.in_shape)
    if result is not None:
        for slot, encoded, row in zip(slots[1:], pictures.encoded_layers(result, cmap, scaling), result.rows, strict=False):
            with slot:
                pictures.layer_picture(encoded, row)
    done = len(result.rows) if result is not None else 0
    stale = outcome.stale
    stale_pictures = pictures.encoded_layers(stale, cmap, scaling, "stale") if stale is not None else []
    for i in range(done, len(slots) - 1):
        with slots[i + 1]:
            if outcome.failed_at == i + 1:
                st.error(messages.error_text(outcome.error))
            if i < len(stale_pictures):
                pictures.layer_picture(stale_pictures[i], stale.rows[i], stale=True)
            else:
                st.caption(tr("layers.page.not_computed"))


def extras(spec, working, result, cmap: str, scaling: str) -> None:
    """Zoom, side-by-side compare and the PyTorch code."""
    st.subheader(tr("layers.zoom.title"))
    if bind.toggle("view.layers.zoom", "layers.zoom.toggle"):  # off: slider drags skip three plotly figures
        zoom_section(result, cmap)
    st.subheader(tr("layers.compare.title"))
    if bind.toggle("view.layers.compare", "layers.compare.toggle"):
        name = bind.choice("view.layers.compare_stack", "layers.compare.other", "layers.stacks",
                           options=tuple(READY_STACKS))
        other = current_result(spec.set("net.layers", READY_STACKS[name]), working, slot="compare")
        left, right = st.columns(2)
        with left:
            pictures.stack_column(result, cmap, scaling, tr("layers.compare.current"), "main")
        with right:
            if other.error is not None:
                st.error(messages.error_text(other.error))
            if other.error is None and other.result is not None:
                pictures.stack_column(other.result, cmap, scaling, tr(f"layers.stacks.{name}"), "compare")
    with st.expander(tr("layers.code.title")):
        st.caption(tr("layers.code.caption"))
        st.code(stack_code(result.net, result.in_shape), language="python")


def trained_weights(spec, result):
    """Offer the weights of this tab's last training run of the same stack, and say which weights are shown."""
    run = trained_run(spec, result.in_shape[0])
    if run is None or not result.rows:
        if result.rows:
            trained_note.explain(spec, result.in_shape[0])  # say what to change instead of hiding the switch
        return result
    if not bind.toggle("view.layers.trained", "layers.trained.toggle"):
        st.caption(tr("layers.trained.available"))
        return result
    epochs = run.snapshot().epochs
    last = epochs[-1] if epochs else None
    st.info(tr("layers.trained.which", data=tr(f"train.datasets.{run.spec.train.dataset}"),
               epochs=last["epoch"] if last else 0, acc=100 * last["val_acc"] if last else 0.0))
    return with_trained(result, run)


def showing_digit(result=None) -> bool:
    """True when the trained digit network is on show (its stack loaded, its weights switched on)."""
    on = shipped_applies(get_spec()) and read("view.layers.shipped")
    return on and (result is None or result.stack is not None)


def digit_network(spec, outcome: Outcome) -> Outcome:
    """The shipped trained digit network on a held-out MNIST digit, when its stack is loaded (random: one switch away)."""
    if not shipped_applies(spec) or outcome.error is not None:
        return outcome
    if not bind.toggle("view.layers.shipped", "layers.shipped.toggle"):
        st.caption(tr("layers.shipped.off"))
        return outcome
    from playground.training.digit_net import REPORTED_ACCURACY

    label = bind.control("view.layers.digit", st.radio, label=tr("layers.shipped.digit"), options=tuple(range(10)),
                         horizontal=True)
    st.info(tr("layers.shipped.which", acc=100 * REPORTED_ACCURACY, digit=label))
    return Outcome(with_trained(digit_result(spec, label), SHIPPED))


@st.fragment
def lab(working) -> None:
    """The part that follows the sliders: toolbar, view options, table, editor rows, pictures, close-ups."""
    with pacing.paced(), heavy_share():  # a fragment rerun does not pass through app.py
        _lab(working)


def _lab(working) -> None:
    bind.twins_settled()  # a fragment rerun does not pass through app.py's
    if read("view.layers.stage_only"):  # the stage alone, in its own fragment: a release reruns a dozen elements
        stage.stage_fragment(working)
        bind.toggle("view.layers.stage_only", "stage.only", "stage.only_help")
        return
    stage.draw_stage(get_spec(), working)  # first, so its elements go out before the rest of the lab is drawn
    bind.toggle("view.layers.stage_only", "stage.only", "stage.only_help")
    st.caption(tr("layers.page.intro"))
    stack_toolbar()
    cmap, scaling = pictures.view_options()
    top = st.container()
    slots = editor_rows(len(get_spec().net.layers))
    if not get_spec().net.layers:
        st.info(tr("layers.page.empty"))
    spec = get_spec()
    outcome = current_result(spec, working)
    with top:
        outcome = digit_network(spec, outcome)  # the input becomes an MNIST digit: before the shape table
        summary(outcome)
        if outcome.error is None and outcome.result is not None and outcome.result.stack is None:
            outcome = Outcome(trained_weights(spec, outcome.result))  # beside the table: which weights are shown
        shown = outcome.result or outcome.stale  # its input shape is what the lab feeds the stack
        exercises.panel("layers", in_shape=shown.in_shape if shown is not None else None)
    draw_pictures(slots, outcome, cmap, scaling)
    if outcome.error is None and outcome.result is not None and outcome.result.rows:
        extras(spec, working, outcome.result, cmap, scaling)
    state.sync_query()  # a fragment rerun does not reach app.py's sync: keep the address bar a share link


def main():
    """Title and "Why?" once; the lab itself (the stage first, then the intro) in a fragment."""
    with st.container(horizontal=True, vertical_alignment="center"):  # one line: the stage starts right under it
        st.title(tr("layers.page.title"))
        explain.why("kernel", "stride", "padding", "pooling", "activation")  # outside the fragment: drawn once
    first_visit()
    working, _ = images.working_image(get_spec().image)
    if working is None:
        st.info(tr("layers.page.no_image"))
        return
    lab(working)
