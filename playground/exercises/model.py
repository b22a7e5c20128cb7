"""What an exercise is: a Question (prompt, typed answer, working, mistakes) and the Verdict on an answer."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playground.errors import Message, PlaygroundError

RIGHT, WRONG, UNREADABLE, RECORDED = "right", "wrong", "unreadable", "recorded"
SEED_MAX = 9999  # the same range as every other seed in the spec


class ExerciseError(PlaygroundError):
    """An exercise cannot be made (unknown id, bad seed, a context value out of range)."""


class AnswerFormatError(PlaygroundError):
    """A typed answer could not be read; the key is a format hint, never a 'wrong'."""


@dataclass(frozen=True)
class Mistake:
    """A typical mistake: the answer it leads to (recomputed with the mistake made) and the hint for it."""

    id: str  # "forgot_padding", "off_by_one", ...
    value: Any  # what the answer is when the student makes this mistake
    hint: Message


@dataclass(frozen=True)
class Question:
    """One generated question; the same exercise id, seed and settings always give an equal Question."""

    id: str  # exercise id, e.g. "layers.out_shape"
    lab: str  # the prefix of its id: a Lab.exercises of playground/labs.py
    seed: int
    prompt: Message  # the question itself
    answer: Any  # an Answer from playground/exercises/answers.py (expected value, parser, format hint)
    working: tuple[Message, ...]  # the worked solution, one line each
    mistakes: tuple[Mistake, ...] = ()  # checked in order; the first whose value matches gives its hint
    hint: Message = Message("exercises.hints.generic")  # wrong, and no known mistake matches
    given: tuple[Message, ...] = ()  # facts shown above the prompt (numbers, steps of a transform)
    figure: dict = field(default_factory=dict, hash=False, compare=False)  # what the page may draw (grids, the stack)
    variant: bool = False  # True: a practice setting made from the seed, not the student's own
    note: Message | None = None  # why a practice setting was used
    runs: tuple = ()  # training.diverge: the PipelineSpecs the page trains to settle the prediction

    @property
    def format(self) -> Message:
        """What the answer box expects, with an example."""
        return self.answer.format


@dataclass(frozen=True)
class Verdict:
    """The checker's answer: right / wrong / unreadable / recorded, with a headline, a hint and the working."""

    status: str
    headline: Message
    hint: Message | None = None
    working: tuple[Message, ...] = ()  # shown when right, and when wrong from the second attempt on
    mistake: str | None = None  # id of the typical mistake recognised, if any
    value: Any = None  # the answer as read (a recorded prediction: the option id)

    @property
    def right(self) -> bool:
        """True for a right answer."""
        return self.status == RIGHT

    @property
    def counts(self) -> bool:
        """True when the answer was read (right, wrong or recorded): an unreadable one is not an attempt."""
        return self.status != UNREADABLE
