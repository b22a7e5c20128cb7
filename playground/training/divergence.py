"""When a run has gone wrong: NaN / infinite loss, an exploding loss, accuracy stuck at chance; and what to try."""
from __future__ import annotations

import math

from playground.errors import Message
from playground.limits import LIMITS, LR_STEPS

EXPLODE_FACTOR = 5.0  # smoothed loss this many times the first loss: exploding
STUCK_EPOCHS = 3  # validation accuracy still at chance after this many epochs: stuck
STUCK_STEPS = 100  # ... and this many steps: a small own set has only a few steps per epoch


def step_problem(loss: float, smooth: float, first: float) -> Message | None:
    """A NaN / infinite loss, or a loss that stays up: smoothed and this step's loss EXPLODE_FACTOR × the first.

    A single spike that falls back (Adam at a far too large rate: 2.3 → 2000 → 2.3) is not stopped here:
    the run goes on, so the student sees a curve that does not settle; epoch_problem then finds it stuck.
    """
    if not math.isfinite(loss):
        return Message("train.diverge.nan", {})
    limit = EXPLODE_FACTOR * max(first, 0.1)
    if smooth > limit and loss > limit:
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


def slider_lr(target: float, below: float | None = None, above: float | None = None) -> float | None:
    """The learning-rate slider's stop (limits.LR_STEPS) nearest target on a log scale, strictly below / above a rate."""
    stops = [s for s in LR_STEPS if (below is None or s < below) and (above is None or s > above)]
    return min(stops, key=lambda s: abs(math.log(s / target))) if stops else None


def suggested_lr(problem: Message, lr: float) -> float | None:
    """The rate to try next, one the slider can select: about 10× lower (10× higher for stuck at a small rate)."""
    high = problem.key != "train.diverge.stuck" or lr >= 0.05
    if high:
        return slider_lr(max(lr / 10, LIMITS["train.lr"].min), below=lr)
    return slider_lr(min(lr * 10, LIMITS["train.lr"].max), above=lr)


def hint_for(problem: Message, lr: float) -> Message:
    """What to try, naming a slider value: lower for NaN / exploding / stuck at a large rate, else higher."""
    new = suggested_lr(problem, lr)
    high = problem.key != "train.diverge.stuck" or lr >= 0.05
    if new is None:  # already at the slider's end
        return Message("train.hint.lowest" if high else "train.hint.highest", {"lr": f"{lr:g}"})
    return Message("train.hint.lower" if high else "train.hint.higher", {"lr": f"{lr:g}", "new": f"{new:g}"})
