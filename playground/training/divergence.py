"""When a run has gone wrong: NaN / infinite loss, an exploding loss, accuracy stuck at chance; and what to try."""
from __future__ import annotations

import math

from playground.errors import Message

EXPLODE_FACTOR = 5.0  # smoothed loss this many times the first loss: exploding
STUCK_EPOCHS = 3  # validation accuracy still at chance after this many epochs: stuck
STUCK_STEPS = 100  # ... and this many steps: a small own set has only a few steps per epoch


def step_problem(loss: float, smooth: float, first: float) -> Message | None:
    """A NaN / infinite loss, or a smoothed loss EXPLODE_FACTOR times the first one."""
    if not math.isfinite(loss):
        return Message("train.diverge.nan", {})
    if smooth > EXPLODE_FACTOR * max(first, 0.1):
        return Message("train.diverge.explode", {"loss": round(smooth, 2), "first": round(first, 2)})
    return None


def epoch_problem(epochs: list[dict], n_classes: int, steps: int | None = None) -> Message | None:
    """Validation accuracy within a few points of chance after STUCK_EPOCHS epochs (and STUCK_STEPS steps, if given)."""
    chance = 1.0 / n_classes
    if steps is not None and steps < STUCK_STEPS:
        return None
    if len(epochs) >= STUCK_EPOCHS and epochs[-1]["val_acc"] < chance + 0.5 * chance:
        return Message("train.diverge.stuck", {"epochs": len(epochs), "acc": round(100 * epochs[-1]["val_acc"]),
                                               "chance": round(100 * chance)})
    return None


def hint_for(problem: Message, lr: float) -> Message:
    """What to try: 10× lower for NaN / exploding; for stuck, lower if the rate is already large, else higher."""
    high = problem.key != "train.diverge.stuck" or lr >= 0.05
    new = lr / 10 if high else min(1.0, lr * 10)
    return Message("train.hint.lower" if high else "train.hint.higher", {"lr": f"{lr:g}", "new": f"{new:g}"})
