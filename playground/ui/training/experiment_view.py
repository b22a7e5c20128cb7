"""The augmentation experiment for "Your pictures": one button, two runs (with / without), two curves overlaid."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from playground.colours import EXPERIMENT
from playground.errors import Message, SpecError
from playground.training import datasets
from playground.training.experiment import ARMS, AugmentExperiment
from playground.training.ownset import OwnSetError
from playground.ui import alt, messages, theme
from playground.ui.runs import lab
from playground.ui.state import button_key, get_spec, tr
from playground.ui.training.ownset_store import desk

POLL_S = 0.5
COLOURS = EXPERIMENT  # blue / orange: told apart with colour blindness too


def _start() -> None:
    """Button callback: train the tab's set twice with the current settings."""
    d, spec = desk(), get_spec()
    if lab().busy or running():  # one training job per tab in flight
        d.experiment_error = Message("train.one_job", {})
        return
    try:
        data = datasets.load(spec.train, spec.norm.method, own=d.own)
        experiment = AugmentExperiment(spec, data)
    except (OwnSetError, SpecError) as exc:
        d.experiment_error = exc.message
        return
    if d.experiment is not None:
        d.experiment.stop()
    experiment.fingerprint = d.own.fingerprint()  # tells a later set from the one trained
    d.experiment, d.experiment_error = experiment.start(), None


def running() -> bool:
    """True while this tab's experiment trains (the lab's Start waits for it: one job per tab)."""
    return desk().experiment is not None and desk().experiment.running


def _stop() -> None:
    if desk().experiment is not None:
        desk().experiment.stop()


def curves_figure(snapshots, names: dict[str, str]) -> go.Figure:
    """Validation accuracy per epoch of both arms (bold), training accuracy dotted."""
    fig = go.Figure()
    for arm, h in zip(ARMS, snapshots, strict=True):
        x = [e["epoch"] for e in h.epochs]
        fig.add_trace(go.Scatter(x=x, y=[100 * e["val_acc"] for e in h.epochs], mode="lines+markers",
                                 name=f"{names[arm]} · {names['val']}", line=dict(color=COLOURS[arm], width=4)))
        fig.add_trace(go.Scatter(x=x, y=[100 * e["train_acc"] for e in h.epochs], mode="lines",
                                 name=f"{names[arm]} · {names['train']}",
                                 line=dict(color=COLOURS[arm], width=2, dash="dot")))
    fig.update_yaxes(range=[0, 101], title=names["acc"])
    fig.update_xaxes(title=names["epoch"])
    fig.update_layout(height=360, font=theme.font(3), margin=dict(l=10, r=10, t=30, b=10), uirevision="keep",
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0))
    return theme.fonts(fig, 3)


def _names() -> dict[str, str]:
    return {"with": tr("own.experiment.with"), "without": tr("own.experiment.without"),
            "val": tr("train.fig.val_acc"), "train": tr("train.fig.train_acc"), "acc": tr("train.fig.acc"),
            "epoch": tr("train.fig.epoch")}


def status(experiment, snapshots) -> None:
    """Which arm is training, or the two final accuracies and what they mean."""
    if experiment.error is not None:
        st.error(tr("own.experiment.failed", detail=type(experiment.error).__name__))
        return
    for arm, h in zip(ARMS, snapshots, strict=True):
        if h.state == "queued" and experiment.running and arm == ARMS[0]:
            st.info(tr("own.experiment.waiting"), icon=":material/hourglass_top:")
        elif h.state == "running":
            st.markdown(tr("own.experiment.running", arm=_names()[arm], done=len(h.step_loss), total=h.total_steps))
    if experiment.running or not all(h.epochs for h in snapshots):
        return
    acc = [f"{100 * h.epochs[-1]['val_acc']:.0f}" for h in snapshots]
    st.markdown(tr("own.experiment.result", with_acc=acc[0], without_acc=acc[1]))
    n_val = len(experiment.runs[0].data.val_labels)
    st.caption(tr("own.experiment.lesson", val=n_val, pts=f"{100 / max(1, n_val):.1f}"))


def panel(can_train: bool) -> None:
    """The experiment's expander: start / stop, then the live overlay of the two runs."""
    d = desk()
    with st.expander(tr("own.experiment.title"), icon=":material/science:", expanded=d.experiment is not None):
        st.caption(tr("own.experiment.intro"))
        experiment = d.experiment
        busy = experiment is not None and experiment.running
        left, right = st.columns(2)
        left.button(tr("own.experiment.start"), key=button_key("own.experiment.start"), on_click=_start,
                    disabled=busy or not can_train, icon=":material/science:", width="stretch")
        right.button(tr("own.experiment.stop"), key=button_key("own.experiment.stop"), on_click=_stop,
                     disabled=not busy, icon=":material/stop:", width="stretch")
        if d.experiment_error is not None:
            st.error(messages.text(d.experiment_error))
        if experiment is None:
            return
        if experiment.spec != get_spec() or experiment.fingerprint != d.own.fingerprint():
            st.caption(tr("own.experiment.stale"))
        live(experiment, busy)


def live(experiment, polling: bool) -> None:
    """Redraw every POLL_S while the experiment runs; one full rerun when it ends (stops the polling)."""

    @st.fragment(run_every=POLL_S if polling else None)
    def draw():
        snapshots = experiment.snapshots()
        status(experiment, snapshots)
        if any(h.epochs for h in snapshots):
            names = _names()
            st.plotly_chart(curves_figure(snapshots, names), key="own.experiment.chart", width="stretch",
                            alt=alt.chart(names["acc"], *(alt.curve(f"{names[arm]} · {names['val']}",
                                                                    [e["val_acc"] for e in h.epochs])
                                                          for arm, h in zip(ARMS, snapshots, strict=True))))
        if polling and not experiment.running:
            st.rerun()

    draw()
