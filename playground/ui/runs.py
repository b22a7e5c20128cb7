"""The session's training lab: its current run and the last few, tied to the browser tab's life.

state.tab_store (a session-scoped st.cache_resource) gives each tab its own TrainLab; when the tab closes, Streamlit drops
the session's cache entries and on_release stops any worker still running.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from playground.errors import SpecError
from playground.spec import PipelineSpec
from playground.training import datasets
from playground.training import results as R
from playground.training.ownset import OwnSet
from playground.training.trainer import Trainer
from playground.ui.runtime.internals import get_logger
from playground.ui.state import tab_store

RUNS_KEPT = 4
LOG = get_logger(__name__)  # Streamlit's own logger: the line lands in the server log


@dataclass
class TrainLab:
    """The runs of one session, newest last; only the newest can be running."""

    runs: list[Trainer] = field(default_factory=list)
    models: dict[int, object] = field(default_factory=dict)  # id(trainer) -> trained CPU model, made once
    lock: threading.Lock = field(default_factory=threading.Lock)
    own_prints: dict[int, str] = field(default_factory=dict)  # id(trainer) -> fingerprint of the own set it trained
    probs: dict[int, object] = field(default_factory=dict)  # id(trainer) -> validation probabilities (N, K), made once

    @property
    def current(self) -> Trainer | None:
        """The newest run, if any."""
        return self.runs[-1] if self.runs else None

    @property
    def busy(self) -> bool:
        """True while the newest run is queued or training."""
        return self.current is not None and self.current.running

    def start(self, spec: PipelineSpec, own: OwnSet | None = None, stop_when_stuck: bool = True) -> Trainer:
        """Build (SpecError for an impossible stack; OwnSetError when "yours" is not ready) and start a run.

        "yours" trains on the tab's own set (own=), split and normalized by datasets.load. The oldest kept
        run is forgotten.
        """
        if self.busy:  # one training job per session in flight: Start is disabled meanwhile, a forged click too
            raise SpecError("train.one_job")
        data = datasets.load(spec.train, spec.norm.method, own=own) if spec.train.dataset == "yours" else None
        trainer = Trainer(spec, data=data, stop_when_stuck=stop_when_stuck)
        with self.lock:
            if self.busy:
                raise SpecError("train.one_job")
            self.runs = [*self.runs, trainer][-RUNS_KEPT:]
            kept = {id(r) for r in self.runs}
            self.models = {k: v for k, v in self.models.items() if k in kept}
            self.probs = {k: v for k, v in self.probs.items() if k in kept}
            self.own_prints = {k: v for k, v in self.own_prints.items() if k in kept}
            if data is not None:
                self.own_prints[id(trainer)] = own.fingerprint()
        return trainer.start()

    def continue_current(self) -> Trainer | None:
        """Go on training the newest run from where it ended (auto-stop off); None when it cannot go on."""
        with self.lock:
            old = self.current
            if old is None or not old.can_continue:
                return None
            later = old.continued(stop_when_stuck=False)
            self.runs = [*self.runs[:-1], later]  # the same run, going on: it takes the ended one's place
            for store in (self.models, self.probs, self.own_prints):
                if id(old) in store:
                    value = store.pop(id(old))
                    if store is self.own_prints:
                        store[id(later)] = value
        return later.start()

    def own_changed(self, trainer: Trainer, own: OwnSet | None) -> bool:
        """True when trainer trained on an own set that has changed since (or is gone)."""
        trained = self.own_prints.get(id(trainer))
        return trained is not None and (own is None or own.fingerprint() != trained)

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

    def val_probs(self, trainer: Trainer):
        """Validation probabilities (N, K) of an ended run, predicted once per run, never per rerun."""
        key = id(trainer)
        if key not in self.probs:
            data = trainer.data
            self.probs[key] = R.predict(self.model(trainer), data.to_input(data.val_pixels))
        return self.probs[key]

    def release(self) -> None:
        """Stop every worker: the tab is gone."""
        running = [r for r in self.runs if r.running]
        for run in running:
            run.stop()
        LOG.info("training lab released with the session: stopped %d running worker(s)", len(running))


@tab_store(TrainLab.release)
def lab() -> TrainLab:
    """This tab's TrainLab."""
    return TrainLab()
