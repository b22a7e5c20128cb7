"""The learning-rate prediction's two trainings: a per-tab pair of Trainers beside the Training lab's own runs.

The Training lab's TrainLab lets only its newest run train, so the pair has its own small runner, tied to
the tab like TrainLab (st.cache_resource(scope="session") with on_release). Both runs wait in the same
process-wide queue as every other training. Once both have ended, training.settle_runs settles the
prediction, once. The student's own settings are never touched: the runs train question.runs.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import streamlit as st

from playground.errors import Message, PlaygroundError
from playground.exercises.model import RECORDED, Question, Verdict
from playground.exercises.training import run_diverged, settle_runs
from playground.ui import messages
from playground.ui.exercises import session as ex
from playground.ui.state import button_key, tab_store, tr

if TYPE_CHECKING:  # torch is imported when a pair first trains, not on every lab's first run (cold start)
    from playground.training.trainer import Trainer

POLL_S = 1.0  # the runs' progress redraws once a second
ENDED = ("done", "diverged")  # a run that stopped early (or failed) cannot settle a prediction
RUN_NAMES = ("A", "B")


@dataclass
class Pair:
    """The two runs of one prediction question."""

    question: Question
    prediction: str
    trainers: tuple[Trainer, ...]
    verdict: Verdict | None = None

    @property
    def running(self) -> bool:
        """True while either run is queued or training."""
        return any(t.running for t in self.trainers)

    def outcome(self) -> tuple[bool, ...] | None:
        """(run A diverged, run B diverged) once both ended normally; None otherwise."""
        if self.running:
            return None
        histories = [t.snapshot() for t in self.trainers]
        if any(t.error is not None for t in self.trainers) or any(h.state not in ENDED for h in histories):
            return None
        return tuple(run_diverged(h) for h in histories)


@dataclass
class PairLab:
    """This tab's prediction runs: the newest pair only (a new one stops the old)."""

    pair: Pair | None = None
    error: Message | None = None  # why the last start failed, shown once
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, question: Question, prediction: str) -> None:
        """Build both runs (a PlaygroundError for a stack or data set that cannot train), then start them."""
        from playground.training.trainer import Trainer

        trainers = tuple(Trainer(spec) for spec in question.runs)
        with self.lock:
            self.stop()
            self.pair = Pair(question, prediction, trainers)
        for trainer in trainers:
            trainer.start()

    def stop(self) -> None:
        """Stop the current pair's runs."""
        if self.pair is not None:
            for trainer in self.pair.trainers:
                trainer.stop()

    def for_question(self, question: Question) -> Pair | None:
        """The pair that trains this question's runs, if any."""
        pair = self.pair
        return pair if pair is not None and pair.question == question else None

    def settle(self, question: Question) -> Verdict | None:
        """The verdict on the question's prediction the first time both runs are seen ended; None otherwise."""
        with self.lock:
            pair = self.for_question(question)
            if pair is None or pair.verdict is not None or (diverged := pair.outcome()) is None:
                return None
            pair.verdict = settle_runs(question, pair.prediction, diverged)
            return pair.verdict


@tab_store(PairLab.stop)
def pair_lab() -> PairLab:
    """This tab's PairLab."""
    return PairLab()


def settle(lab: str, question: Question) -> None:
    """Settle the shown prediction once its runs are over (the panel calls this before it draws the verdict)."""
    verdict = pair_lab().settle(question)
    if verdict is not None:
        ex.add(lab, question, verdict)


def _start(lab: str) -> None:
    """Button callback: train the shown question's two runs with the recorded prediction."""
    last = ex.shown(lab)
    verdict = ex.verdict_for(lab, last[1]) if last is not None else None
    if verdict is None or verdict.status != RECORDED:
        return
    runs = pair_lab()
    try:
        runs.start(last[1], verdict.value)
        runs.error = None
    except PlaygroundError as exc:
        runs.error = exc.message


def locked(question: Question) -> bool:
    """True once the question's runs started: the prediction can no longer change."""
    return pair_lab().for_question(question) is not None


def section(lab: str, question: Question) -> None:
    """The runs of a recorded prediction: the start button, then each run's progress and how it ended."""
    pair = pair_lab().for_question(question)
    verdict = ex.verdict_for(lab, question)
    if pair is None and (verdict is None or verdict.status != RECORDED):
        return
    polling = pair is not None and pair.running
    st.fragment(run_every=POLL_S if polling else None)(_live)(lab, question, polling)


def _live(lab: str, question: Question, polling: bool) -> None:
    """Redrawn every POLL_S while the runs train; a full rerun when they start or end (to start / stop polling)."""
    runs = pair_lab()
    pair = runs.for_question(question)
    if pair is None or (not pair.running and pair.outcome() is None):
        st.button(tr("exercises.pair.run"), key=button_key(f"ex.pair.{lab}"), on_click=_start, args=(lab,),
                  type="primary", icon=":material/play_arrow:", help=tr("exercises.pair.run_help"))
    if runs.error is not None:
        st.error(messages.text(runs.error))
    if pair is None:
        return
    params = dict(question.answer.params)
    for name, key, trainer in zip(RUN_NAMES, ("lr_a", "lr_b"), pair.trainers, strict=False):
        run_line(name, params[key], trainer)
    if pair.running != polling:
        st.rerun()  # started: poll; ended: settle and show the verdict in the panel, stop polling


def run_line(name: str, lr: str, trainer: Trainer) -> None:
    """One run's progress while it trains, then how it ended."""
    h = trainer.snapshot()
    epochs = trainer.spec.train.epochs
    if h.state == "queued":
        st.progress(0.0, text=tr("exercises.pair.waiting", run=name, lr=lr, place=max(1, h.queue_place)))
    elif h.state == "running":
        st.progress(h.progress, text=tr("exercises.pair.running", run=name, lr=lr,
                                         epoch=min(len(h.epochs) + 1, epochs), epochs=epochs))
    elif h.state == "diverged":
        why = messages.text(h.problem) if h.problem is not None else ""
        st.markdown(tr("exercises.pair.diverged", run=name, lr=lr, why=why))
    elif h.state == "done":
        acc = 100 * h.epochs[-1]["val_acc"] if h.epochs else 0.0
        st.markdown(tr("exercises.pair.done", run=name, lr=lr, acc=f"{acc:.1f}"))
    else:
        st.markdown(tr("exercises.pair.stopped", run=name, lr=lr))
