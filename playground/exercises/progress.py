"""A per-tab record of exercise results (plain frozen data the UI keeps in session state) and "3 of 5 checked".

An unreadable answer is not an attempt. An exercise is done once one of its questions was answered right,
or, for a prediction, once the prediction was settled by the runs (right or wrong: predicting is the point).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

from playground.errors import Message
from playground.exercises.checker import is_prediction
from playground.exercises.model import RECORDED, RIGHT, UNREADABLE, WRONG, Question, Verdict

MAX_MISTAKES = 20  # recognised mistake ids kept per exercise (for a class board's counts)


@dataclass(frozen=True)
class Result:
    """One exercise's results; seed / variant say which question the attempt counts belong to."""

    exercise: str
    seed: int = -1
    variant: bool = False
    attempts: int = 0  # readable answers to the current question
    wrong: int = 0  # wrong answers to the current question
    done: bool = False
    prediction: str | None = None
    mistakes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Progress:
    """How many of a list of exercises are done."""

    done: int
    total: int

    @property
    def message(self) -> Message:
        """'3 of 5 checked', translatable."""
        return Message("exercises.progress", {"done": self.done, "total": self.total})


@dataclass(frozen=True)
class Record:
    """Every exercise's Result in one tab; add() returns a new Record."""

    results: tuple[Result, ...] = ()

    def get(self, exercise_id: str) -> Result:
        """The exercise's result (an empty one if never answered)."""
        return next((r for r in self.results if r.exercise == exercise_id), Result(exercise_id))

    def _current(self, question: Question) -> Result:
        """The result, with its attempt counts cleared if they belong to another question of the exercise."""
        r = self.get(question.id)
        if (r.seed, r.variant) != (question.seed, question.variant):
            r = replace(r, seed=question.seed, variant=question.variant, attempts=0, wrong=0, prediction=None)
        return r

    def attempt(self, question: Question) -> int:
        """The number (1-based) the next answer to this question will be: pass it to check()."""
        return self._current(question).wrong + 1

    def add(self, question: Question, verdict: Verdict) -> Record:
        """The record after this verdict on this question."""
        if verdict.status == UNREADABLE:
            return self
        r = self._current(question)
        r = replace(r, attempts=r.attempts + 1)
        if verdict.status == RECORDED:
            r = replace(r, prediction=verdict.value)
        elif verdict.status == RIGHT or is_prediction(question):
            r = replace(r, done=True)
        if verdict.status == WRONG and not is_prediction(question):
            seen = (*r.mistakes, verdict.mistake) if verdict.mistake else r.mistakes
            r = replace(r, wrong=r.wrong + 1, mistakes=seen[-MAX_MISTAKES:])
        others = tuple(x for x in self.results if x.exercise != question.id)
        return Record((*others, r))

    def to_dict(self) -> dict:
        """Plain JSON-ready data: {exercise id: result fields}."""
        return {r.exercise: asdict(r) for r in self.results}


def progress(record: Record, exercise_ids: Iterable[str]) -> Progress:
    """Done count over a lesson's (or a lab's) exercise ids."""
    ids = list(dict.fromkeys(exercise_ids))
    return Progress(sum(record.get(e).done for e in ids), len(ids))
