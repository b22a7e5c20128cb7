"""Training compute before Start: the estimated CPU time of a run (per step and in all), checked against budgets.

The rates and budgets live in playground/layers/cost.py; this module counts a run's steps the way the
Trainer does and hands the page a message with the estimate to show before Start.
"""
from __future__ import annotations

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
    rows = validate(net, (c, h, w))
    oc, oh, ow = rows[-1].out_shape if rows else (c, h, w)
    steps = train.epochs * batches_per_epoch(len(data.train_labels), train.batch)
    return train_cost(rows, oc * oh * ow * len(data.classes), train.batch, steps, train.epochs, len(data.val_labels))


def check(cost: TrainCost, train: TrainSpec) -> None:
    """SpecError("budget.train_step" / "budget.train_run") naming what to lower, when the run is over budget."""
    check_training(cost, train.batch, train.epochs, train.size)


def estimate_message(cost: TrainCost) -> Message:
    """"About 40 s" / "about 3.5 min" of server time: what the page shows before Start."""
    if cost.run_s < 90:
        return Message("budget.estimate_seconds", {"seconds": max(1, round(cost.run_s))})
    return Message("budget.estimate_minutes", {"minutes": round(cost.run_s / 60, 1)})
