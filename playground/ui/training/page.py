"""Training lab: train the Layer lab's stack on digits, shapes or the class's own pictures and watch it learn, live."""
from __future__ import annotations

import streamlit as st

from playground.training.trainer import warm_up
from playground.ui import exercises
from playground.ui.runs import lab
from playground.ui.state import get_spec, tr
from playground.ui.training import experiment_view, ownset_view
from playground.ui.training.outcome import results
from playground.ui.training.settings import controls, data_settings, live_panel, model_summary, optimizer_settings


def main():
    """Settings, start / stop, the live panel, then the results of the newest run."""
    warm_up()  # the first optimizer of a process imports torch._dynamo: start that now, not on Start
    st.title(tr("train.title"))
    st.caption(tr("train.intro"))
    exercises.panel("training")
    session_lab = lab()
    left, middle, right = st.columns([4, 4, 5], gap="large")
    with left:
        data_settings()
    with middle:
        optimizer_settings()
    with right:
        can_train = model_summary()
    controls(session_lab, can_train)
    yours = get_spec().train.dataset == "yours"
    if yours:
        ownset_view.panel()  # below Start, and folded away by it: the live curve comes right under Start
    live_panel(session_lab)
    if yours:
        experiment_view.panel(can_train)
    results(session_lab)
