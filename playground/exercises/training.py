"""Training lab questions: the accuracy of guessing (chance level), and a prediction of which learning rate diverges.

The prediction is checked in two stages: check() records it (status "recorded"); the page trains the two
specs in question.runs (playground.training.trainer.Trainer), then settle_runs() compares the prediction
with what happened. The student's own spec is never changed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from playground.errors import Message
from playground.exercises.answers import Choice, Decimal
from playground.exercises.checker import settle
from playground.exercises.common import keep, note, num, pick, rng_for
from playground.exercises.model import ExerciseError, Question, Verdict
from playground.spec import PipelineSpec
from playground.training import datasets
from playground.training.divergence import STUCK_EPOCHS

if TYPE_CHECKING:
    from playground.training.trainer import History

H = "exercises.hints."
OPTIMIZERS = ("sgd", "momentum", "adam", "rmsprop")
SAFE_LR = {"sgd": 0.01, "momentum": 0.01, "adam": 0.001, "rmsprop": 0.001}  # a usual, calm step
HIGH_LR = {"sgd": 1.0, "momentum": 1.0, "adam": 0.5, "rmsprop": 0.5}  # far too large on the lab's data sets
BIG = 10  # a rate this many times the safe one is "large" in the working
RUN_EPOCHS = 6  # the comparison runs: long enough for the "stuck at chance" check, short for a classroom
OPTIONS = ("a", "b", "both", "neither")
# Classes per data set, without loading it (the first load takes seconds); tests check it against the data.
CLASS_COUNTS = {"digits": 10, "mnist": 10, "shapes": len(datasets.SHAPES)}


def chance(spec: PipelineSpec, seed: int, variant: bool = False, **ctx) -> Question:
    """What accuracy random guessing gets on the spec's data set: one over the number of classes."""
    rng = rng_for("training.chance", seed)
    own = spec.train.dataset not in CLASS_COUNTS  # "yours": its classes are the tab's, not in the spec
    dataset = pick(rng, ("digits", "shapes")) if variant or own else spec.train.dataset
    n = CLASS_COUNTS[dataset]
    answer = Decimal(1 / n, tol=0.005, percent=True, example="25%")
    z, pct = "exercises.training.chance.", num(100 / n, 1)
    mistakes = keep(answer, [
        ("class_count", n / 100, Message(H + "chance_classes", {"n": n})),  # "4" typed, read as 4 %
        ("two_outcomes", 0.5, Message(H + "chance_two")),
        ("error_rate", 1 - 1 / n, Message(H + "chance_error", {"n": n, "pct": pct})),
    ])
    working = (Message(z + f"work_{dataset}", {"n": n}), Message(z + "work_guess", {"n": n, "pct": pct}),
               Message(z + "work_meaning", {"pct": pct}))
    return Question("training.chance", "training", seed, Message(z + "prompt"), answer, working, mistakes,
                    Message(H + "chance_generic"), (Message(z + f"given_{dataset}", {"n": n}),), {"dataset": dataset},
                    variant or own, note("chance_own") if own and not variant else None)


def _rates(spec: PipelineSpec, rng, variant: bool) -> tuple[str, float, float]:
    """(optimizer, lr A, lr B): the student's rate against a safe or a far too large one, in seeded order."""
    opt = pick(rng, OPTIMIZERS) if variant else spec.train.optimizer
    mine = SAFE_LR[opt] if variant else spec.train.lr
    pair = [mine, SAFE_LR[opt]] if mine >= BIG * SAFE_LR[opt] else [mine, HIGH_LR[opt]]
    if rng.random() < 0.5:
        pair.reverse()
    return opt, pair[0], pair[1]


def _run_line(run: str, lr: float, safe: float) -> Message:
    ratio = lr / safe
    if ratio >= BIG:
        return Message("exercises.training.diverge.work_big", {"run": run, "lr": f"{lr:g}", "ratio": num(ratio, 1)})
    return Message("exercises.training.diverge.work_small", {"run": run, "lr": f"{lr:g}"})


def diverge(spec: PipelineSpec, seed: int, variant: bool = False, **ctx) -> Question:
    """Predict which of two runs, differing only in the learning rate, will diverge; question.runs are the two specs."""
    rng = rng_for("training.diverge", seed)
    opt, lr_a, lr_b = _rates(spec, rng, variant)
    epochs = max(STUCK_EPOCHS, min(spec.train.epochs, RUN_EPOCHS))
    base = replace(spec, train=replace(spec.train, optimizer=opt, epochs=epochs))
    runs = (base.set("train.lr", lr_a), base.set("train.lr", lr_b))
    ta, tb = f"{lr_a:g}", f"{lr_b:g}"
    answer = Choice(None, OPTIONS, "diverge", (("lr_a", ta), ("lr_b", tb)), ((ta, "a"), (tb, "b")))
    safe, z = SAFE_LR[opt], "exercises.training.diverge."
    big = [run for run, lr in (("a", lr_a), ("b", lr_b)) if lr >= BIG * safe]
    working = (Message(z + "work_usual", {"optimizer": Message(f"train.optimizers.{opt}"), "safe": f"{safe:g}"}),
               _run_line("A", lr_a, safe), _run_line("B", lr_b, safe), Message(z + "work_signs"))
    given = (Message(z + "given", {"optimizer": Message(f"train.optimizers.{opt}"), "lr_a": ta, "lr_b": tb, "epochs": epochs}),)
    figure = {"optimizer": opt, "lrs": (lr_a, lr_b), "likely": big[0] if len(big) == 1 else "both" if big else "neither"}
    return Question("training.diverge", "training", seed, Message(z + "prompt"), answer, working, (),
                    Message(H + "diverge_generic"), given, figure, variant, None, runs)


def run_diverged(history: History) -> bool:
    """True when a finished Trainer history ended as diverged (NaN, exploding loss, or stuck at chance)."""
    return history.state == "diverged"


def settle_runs(question: Question, prediction: str, diverged: Sequence[bool]) -> Verdict:
    """The verdict on a recorded prediction once both runs are over: diverged = (run A diverged, run B diverged)."""
    if question.id != "training.diverge" or prediction not in OPTIONS or len(diverged) != 2:
        raise ExerciseError("exercises.errors.settle")
    a, b = (bool(v) for v in diverged)
    observed = {(True, False): "a", (False, True): "b", (True, True): "both", (False, False): "neither"}[(a, b)]
    params = dict(question.answer.params)
    seen = tuple(Message("exercises.training.diverge.seen_" + ("diverged" if d else "trained"), {"run": run, "lr": params[key]})
                 for run, key, d in (("A", "lr_a", a), ("B", "lr_b", b)))
    return settle(question, prediction, observed, seen)
