"""What a lesson is: an ordered list of scenes, each one idea with its view, settings, open controls and prediction."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playground.errors import Message, PlaygroundError
from playground.exercises import reading
from playground.exercises.model import AnswerFormatError
from playground.exercises.text import say as say_message
from playground.spec import PipelineSpec

VIEWS = ("text", "steps", "layers", "augment", "normalize", "training")
KINDS = ("number", "choice", "map")  # typed number, one of a few options, which of a few pictures


class LessonError(PlaygroundError):
    """A lesson file cannot be used: a catalogue key (lesson.errors.*) with its numbers and the line (0: none)."""


@dataclass(frozen=True)
class Text:
    """One piece of lesson text in every language of the app."""

    en: str
    zh: str

    def of(self, lang: str) -> str:
        """The text in lang (English for an unknown language)."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Option:
    """One answer a choice or which-map prediction offers; a map option's picture is its settings' map."""

    id: str
    label: Text | Message
    settings: PipelineSpec | None = None  # kind "map": the pipeline whose picture this option shows


@dataclass(frozen=True)
class Prediction:
    """One question asked before the reveal; the answer and its working are known when the lesson loads."""

    kind: str  # one of KINDS
    question: Text | Message
    answer: Any  # kind number: int / float / tuple of ints; choice and map: an Option id
    working: tuple[Text | Message, ...]
    choices: tuple[Option, ...] = ()
    given: tuple[Text | Message, ...] = ()  # facts shown above the question
    tolerance: float = 0.0  # kind number: how far a typed number may be from the answer
    exercise: str | None = None  # the exercise generator it was built from (playground/exercises/registry.py)
    seed: int = 0
    source: Any = field(default=None, compare=False, repr=False)  # that generator's Question, when there is one

    def read(self, text) -> Any:
        """A typed or chosen answer as a value, or None when it cannot be read; never raises."""
        if self.kind != "number":
            return text if any(o.id == text for o in self.choices) else None
        if self.source is not None:
            try:
                return self.source.answer.parse(text)
            except AnswerFormatError:
                return None
        try:
            return reading.read_decimal(reading.clean(text), "0")
        except AnswerFormatError:
            return None

    def is_right(self, value) -> bool:
        """Whether a read value is the right answer (within the tolerance for numbers)."""
        if value is None:
            return False
        if self.kind != "number":
            return value == self.answer
        if self.source is not None:
            return bool(self.source.answer.same(value, self.answer))
        return isinstance(value, int | float) and abs(float(value) - float(self.answer)) <= self.tolerance + 1e-9


@dataclass(frozen=True)
class Scene:
    """One step of a lesson: one idea, its view with the scene's settings, the controls left open."""

    id: str
    title: Text
    text: Text
    view: str  # one of VIEWS
    settings: PipelineSpec
    open_controls: tuple[str, ...]  # control paths: "augment.angle", "net.layers.0.kernel", "view.steps.stride"
    teacher_notes: Text
    minutes: int
    prediction: Prediction | None = None
    view_settings: tuple[tuple[str, Any], ...] = ()  # view values the scene starts from, e.g. ("steps.stride", 2)


@dataclass(frozen=True)
class Lesson:
    """A lesson: its id, title and scenes; minutes is the sum of the scenes' minutes."""

    id: str
    title: Text
    minutes: int
    scenes: tuple[Scene, ...]
    source: str = ""  # where it was read from: "builtin:<file>" or a file name

    def scene(self, index: int) -> Scene:
        """Scene number index (0-based), clamped into the lesson."""
        return self.scenes[max(0, min(int(index), len(self.scenes) - 1))]

    def index_of(self, scene_id: str) -> int | None:
        """The 0-based index of a scene id, or None."""
        return next((i for i, s in enumerate(self.scenes) if s.id == scene_id), None)


def say(item: Text | Message, lang: str) -> str:
    """Lesson text or a catalogue message in lang (a message's own messages translated first)."""
    if isinstance(item, Text):
        return item.of(lang)
    return say_message(item, lang)
