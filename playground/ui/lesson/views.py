"""Each scene view, drawn by the labs' own functions (no second implementation of any picture).

The Layer lab's part is one function, layer_stage, so a one-screen stage of that lab can take its place.
"""
from __future__ import annotations

import numpy as np
import streamlit as st

from playground import shared
from playground.describe import layer_facts
from playground.errors import SpecError
from playground.lessons.steps import STEP_VIEW, steps_problem
from playground.spec import PipelineSpec
from playground.ui import alt, images, messages
from playground.ui.conv_steps.stage import stage
from playground.ui.image_lab.page import histogram, prepared_view
from playground.ui.layer_lab import pictures
from playground.ui.layer_lab.run import current_result
from playground.ui.runs import lab
from playground.ui.state import get_spec, read, tr
from playground.ui.training import ownset_view
from playground.ui.training.settings import controls as train_controls
from playground.ui.training.settings import live_panel

CMAP, SCALING = "viridis", "channel"
MAX_PICTURE_PX = 300


def steps_values() -> dict:
    """The step-through values the lesson page shows now (the scene's, changed by its open controls)."""
    return {name: read(f"view.steps.{name}") for name in STEP_VIEW}


def steps_view() -> None:
    """The step-through stage on the scene's grid: play, step, and each product written out."""
    try:
        problem = steps_problem(steps_values())
    except SpecError as exc:
        st.error(messages.error_text(exc))
        return
    stage(problem)


def _working(spec: PipelineSpec):
    """The scene's working picture (the lab's notes on it stay in the lab: a scene has no room for them)."""
    working, _ = images.working_image(spec.image)
    return working


def layer_stage(spec: PipelineSpec, slot: str = "lesson") -> None:
    """The Layer lab's input and the last layer's maps for spec (the lab's own run and pictures)."""
    working = _working(spec)
    if working is None:
        st.info(tr("layers.page.no_image"))
        return
    outcome = current_result(spec, working, slot=slot)
    if outcome.error is not None:
        st.error(messages.error_text(outcome.error))
    result = outcome.result
    if result is None:
        return
    left, right = st.columns([2, 3])
    with left:
        pictures.input_picture(result.image, result.in_shape)
    if result.rows:
        with right:
            pictures.layer_picture(pictures.encoded_layers(result, CMAP, SCALING, slot)[-1], result.rows[-1])


def last_map(spec: PipelineSpec, slot: str) -> None:
    """Only the last layer's maps of spec (one option of a which-map question), without its caption."""
    working = _working(spec)
    if working is None:
        return
    outcome = current_result(spec, working, slot=slot)
    if outcome.result is None or not outcome.result.rows:
        if outcome.error is not None:
            st.error(messages.error_text(outcome.error))
        return
    data, _, _, _ = pictures.encoded_layers(outcome.result, CMAP, SCALING, slot)[-1]
    rows = outcome.result.rows
    st.image(data, width="stretch", alt=alt.layer_maps(layer_facts(outcome.result.maps[-1]), len(rows), rows[-1].name))


def _fitted(target, pixels: np.ndarray, caption: str) -> None:
    """A picture at most MAX_PICTURE_PX high (a turned, expanded picture is tall), else as wide as its column."""
    h, w = pixels.shape[:2]
    width = "stretch" if h <= w else max(80, int(MAX_PICTURE_PX * w / h))
    target.image(shared.jpeg(pixels), caption=caption or None, alt=caption or tr("image.augmented"), width=width,
                 output_format="JPEG")


def augment_view(spec: PipelineSpec) -> None:
    """The Image lab's original and augmented pictures."""
    working = _working(spec)
    if working is None:
        return
    left, right = st.columns(2)
    _fitted(left, working, tr("image.original"))
    _fitted(right, prepared_view(spec, working).augmented, tr("image.augmented"))


def augmented(spec: PipelineSpec) -> None:
    """Only the augmented picture of spec (one option of a which-map question)."""
    working = _working(spec)
    if working is not None:
        _fitted(st, prepared_view(spec, working).augmented, "")


def normalize_view(spec: PipelineSpec) -> None:
    """The Image lab's histograms before and after normalization, and the statistics the network gets."""
    working = _working(spec)
    if working is None:
        return
    prepared = prepared_view(spec, working)
    names = [tr(f"image.channels.{c}") for c in (("R", "G", "B") if working.shape[-1] == 3 else ("grey",))]
    before, after = st.columns(2)
    before.plotly_chart(histogram(prepared.augmented, tr("image.hist_before"), names), width="stretch",
                        key="lesson.hist_before")
    after.plotly_chart(histogram(prepared.normalized, tr("image.hist_after"), names), width="stretch",
                       key="lesson.hist_after")
    lo, hi = float(prepared.normalized.min()), float(prepared.normalized.max())
    mean, std = float(prepared.normalized.mean()), float(prepared.normalized.std())
    st.markdown(tr("lesson.page.norm_numbers", lo=lo, hi=hi, mean=round(mean, 2) + 0.0, std=std))  # never −0.00


def training_view() -> None:
    """The Training lab's Start / Stop and its live curve, for the scene's settings."""
    session_lab = lab()
    if get_spec().train.dataset == "yours":
        ownset_view.panel()  # the class's own pictures: collected here, folded away by Start
    train_controls(session_lab, True)
    live_panel(session_lab)


def draw(view: str, spec: PipelineSpec) -> None:
    """The scene's view with the current settings."""
    if view == "steps":
        steps_view()
    elif view == "layers":
        layer_stage(spec)
    elif view == "augment":
        augment_view(spec)
    elif view == "normalize":
        normalize_view(spec)
    elif view == "training":
        training_view()


def option_picture(view: str, spec: PipelineSpec, slot: str) -> None:
    """The picture of one which-map option: the view's result under the option's settings."""
    if view == "augment":
        augmented(spec)
    else:
        last_map(spec, slot)
