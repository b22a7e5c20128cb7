"""The session's training lab: its current run and the last few, tied to the browser tab's life.

st.cache_resource(scope="session") gives each tab its own TrainLab; when the tab closes, Streamlit drops
the session's cache entries and on_release stops any worker still running.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import streamlit as st
from streamlit.logger import get_logger

from playground.spec import PipelineSpec
from playground.training.trainer import Trainer

RUNS_KEPT = 4
LOG = get_logger(__name__)  # Streamlit's own logger: the line lands in the server log


@dataclass
class TrainLab:
    """The runs of one session, newest last; only the newest can be running."""

    runs: list[Trainer] = field(default_factory=list)
    models: dict[int, object] = field(default_factory=dict)  # id(trainer) -> trained CPU model, made once
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def current(self) -> Trainer | None:
        """The newest run, if any."""
        return self.runs[-1] if self.runs else None

    @property
    def busy(self) -> bool:
        """True while the newest run is queued or training."""
        return self.current is not None and self.current.running

    def start(self, spec: PipelineSpec) -> Trainer:
        """Build (SpecError for an impossible stack) and start a run; the oldest kept run is forgotten."""
        trainer = Trainer(spec)
        with self.lock:
            self.stop()
            self.runs = [*self.runs, trainer][-RUNS_KEPT:]
            self.models = {k: v for k, v in self.models.items() if k in {id(r) for r in self.runs}}
        return trainer.start()

    def stop(self) -> None:
        """Stop the newest run (what it learned stays)."""
        if self.current is not None:
            self.current.stop()

    def model(self, trainer: Trainer):
        """The trained model of an ended run, copied to the CPU once."""
        key = id(trainer)
        if key not in self.models:
            self.models[key] = trainer.trained_model()
        return self.models[key]

    def release(self) -> None:
        """Stop every worker: the tab is gone."""
        running = [r for r in self.runs if r.running]
        for run in running:
            run.stop()
        LOG.info("training lab released with the session: stopped %d running worker(s)", len(running))


def _release(lab: TrainLab) -> None:
    lab.release()


@st.cache_resource(scope="session", on_release=_release, show_spinner=False)
def lab() -> TrainLab:
    """This tab's TrainLab."""
    return TrainLab()
