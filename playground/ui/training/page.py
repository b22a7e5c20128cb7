"""Training lab: train the Layer lab's stack on digits, shapes or the class's own pictures and watch it learn, live."""
from __future__ import annotations

import streamlit as st

from playground.training.trainer import warm_up
from playground.ui.exercises import panel as exercises
from playground.ui.runs import lab
from playground.ui.state import TRAIN_LIVE, get_spec, tr
from playground.ui.training import experiment_view, keep_in_view, ownset_view
from playground.ui.training.outcome import results
from playground.ui.training.settings import controls, data_settings, live_panel, model_summary, optimizer_settings


def main():
    """Start / stop and the live panel under the title once the tab has a run, then the settings and results.

    While a run is going and after it ends, Stop / Start and the live panel come first, right under the title, so
    the curve and its final numbers stay in view (1280×720 too) instead of moving below the settings that come
    back when the run ends. Before the first run the settings come first, with Start under them.
    """
    warm_up()  # the first optimizer of a process imports torch._dynamo: start that now, not on Start
    st.title(tr("train.title"))
    session_lab = lab()
    top = st.container() if session_lab.current is not None else None  # filled once can_train is known
    if session_lab.busy:
        with top:
            running_first(session_lab)
    st.caption(tr("train.intro"))
    exercises.panel("training")
    left, middle, right = st.columns([4, 4, 5], gap="large")
    with left:
        data_settings()
    with middle:
        optimizer_settings()
    with right:
        can_train = model_summary()
    yours = get_spec().train.dataset == "yours"
    if top is None:
        controls(session_lab, can_train and not experiment_view.running())
    elif not session_lab.busy:
        with top:
            controls(session_lab, can_train and not experiment_view.running())
            live_panel(session_lab)
    if yours:
        ownset_view.panel()  # below the settings, and folded away by Start: the live curve stays at the top
    if top is None:
        live_panel(session_lab)
    if yours:
        experiment_view.panel(can_train and not session_lab.busy)  # one training job per tab at a time
    results(session_lab)


def running_first(session_lab) -> None:
    """Start / Stop and the live panel at the top of the page while the tab's run is going."""
    just_started = not st.session_state.get(TRAIN_LIVE)  # live_panel has not seen this run yet
    controls(session_lab, False)
    live_panel(session_lab)
    if just_started:
        keep_in_view.scroll_to_top()
