"""The augmentation experiment: the same data, stack and seed trained twice, with and without augmentation.

One worker thread runs the two trainings one after the other (each takes its own place in the training
queue), so the page polls one object and overlays the two validation curves. The seed is the same, so
the first weights and the shuffling order are the same: the only difference is the augmented batches.
"""
from __future__ import annotations

from playground.spec import PipelineSpec
from playground.training.datasets import Dataset
from playground.training.queue import QUEUE, TrainQueue
from playground.training.trainer import History, Trainer
from playground.training.worker import Worker

ARMS = ("with", "without")  # augmentation on, then off


class AugmentExperiment(Worker):
    """Two Trainers on one data set (with, then without augmentation); start(), poll snapshots(), stop()."""

    THREAD_NAME = "playground-augment-experiment"

    def __init__(self, spec: PipelineSpec, data: Dataset, queue: TrainQueue = QUEUE):
        self.spec = spec
        self.runs = (Trainer(spec.set("train.augment", True), queue, data=data),
                     Trainer(spec.set("train.augment", False), queue, data=data))

    def _run(self) -> None:
        for trainer in self.runs:
            trainer._run()  # the Trainer's own loop (queue place, training, final state), in this thread

    def stop(self) -> None:
        """End the running training after its current step; one not yet started ends at once as "stopped"."""
        for trainer in self.runs:
            trainer.stop()

    @property
    def error(self) -> BaseException | None:
        """A bug in either run (the page reports it), else None."""
        return next((t.error for t in self.runs if t.error is not None), None)

    def snapshots(self) -> tuple[History, History]:
        """(with augmentation, without): copies, safe to read while the worker writes."""
        return self.runs[0].snapshot(), self.runs[1].snapshot()

    def val_curves(self) -> dict[str, list[float]]:
        """Validation accuracy per epoch of each arm, keyed by ARMS: what the page overlays."""
        return {arm: [e["val_acc"] for e in h.epochs] for arm, h in zip(ARMS, self.snapshots(), strict=True)}
