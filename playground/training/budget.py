"""Training compute before Start: the estimated CPU time of a run (per step and in all), checked against budgets.

The rates and budgets live in playground/layers/cost.py; this module counts a run's steps the way the
Trainer does and hands the page a message with the estimate to show before Start.
"""
from __future__ import annotations

import statistics
import threading
from collections import deque

from playground.errors import Message
from playground.layers.cost import TrainCost, check_training, train_cost
from playground.layers.shapes import validate
from playground.spec import NetSpec, TrainSpec
from playground.training.datasets import Dataset


def batches_per_epoch(n: int, batch: int) -> int:
    """Steps per epoch; a last batch of a single sample is dropped (BatchNorm needs two)."""
    return n // batch + (1 if n % batch > 1 else 0)


def train_estimate(net: NetSpec, data: Dataset, train: TrainSpec) -> TrainCost:
    """Estimated cost of training net on data with the train settings (SpecError if the stack does not fit)."""
    c, h, w = data.shape
    rows = validate(net, (c, h, w), pictures=False)
    oc, oh, ow = rows[-1].out_shape if rows else (c, h, w)
    steps = train.epochs * batches_per_epoch(len(data.train_labels), train.batch)
    return train_cost(rows, oc * oh * ow * len(data.classes), train.batch, steps, train.epochs, len(data.val_labels))


def check(cost: TrainCost, train: TrainSpec) -> None:
    """SpecError("budget.train_step" / "budget.train_run") naming what to lower, when the run is over budget."""
    check_training(cost, train.batch, train.epochs, train.size)


class RateMeter:
    """Measured / estimated seconds of this server's recent runs: the estimate before Start is scaled by it.

    The rates of playground/layers/cost.py were fitted once; the server's load changes (other trainings, other
    engineers' jobs). The median of the last KEEP runs' ratios, clipped to LOW..HIGH, follows that load.
    """

    KEEP, LOW, HIGH, MIN_STEPS = 8, 0.25, 8.0, 10

    def __init__(self):
        self._ratios: deque[float] = deque(maxlen=self.KEEP)
        self._lock = threading.Lock()

    def record(self, measured_s: float, estimated_s: float, steps: int) -> None:
        """One run's training seconds against its estimate for the same steps (ignored under MIN_STEPS steps)."""
        if steps >= self.MIN_STEPS and estimated_s > 0 and measured_s > 0:
            with self._lock:
                self._ratios.append(measured_s / estimated_s)

    def factor(self) -> float:
        """What to multiply an estimate by: 1.0 until a run was measured."""
        with self._lock:
            ratios = list(self._ratios)
        return min(self.HIGH, max(self.LOW, statistics.median(ratios))) if ratios else 1.0


RATES = RateMeter()  # process-wide: every session's runs measure the same server


def estimate_message(cost: TrainCost, factor: float = 1.0) -> Message:
    """"About 40 s" / "about 3.5 min" of server time (the estimate times the measured factor), shown before Start."""
    seconds = cost.run_s * factor
    if seconds < 90:
        return Message("budget.estimate_seconds", {"seconds": max(1, round(seconds))})
    return Message("budget.estimate_minutes", {"minutes": round(seconds / 60, 1)})
