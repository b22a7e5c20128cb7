"""What the board hands in and out: plain frozen records, no database types."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from playground.spec import PipelineSpec


def utc(seconds: float) -> datetime:
    """Unix seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True)
class Challenge:
    """The teacher's rule; None on a point means no limit there. An empty rule admits every entry."""

    max_params: int | None = None
    dataset: str | None = None
    max_epochs: int | None = None

    @property
    def active(self) -> bool:
        """True when the rule limits anything."""
        return (self.max_params, self.dataset, self.max_epochs) != (None, None, None)

    def admits(self, entry: Entry) -> bool:
        """True when entry meets every limit of the rule."""
        return ((self.max_params is None or entry.params <= self.max_params)
                and (self.dataset is None or entry.dataset == self.dataset)
                and (self.max_epochs is None or entry.epochs <= self.max_epochs))


@dataclass(frozen=True)
class Board:
    """One class board as a student or teacher sees it (never the teacher key or its hash)."""

    code: str
    lesson: str
    challenge: Challenge
    closed: bool
    created: datetime
    expires: datetime
    revision: int = 0  # moves with every change of the board's entries or settings


@dataclass(frozen=True)
class NewEntry:
    """A finished training run, as the Training lab hands it to publish (the nickname goes separately)."""

    dataset: str
    stack: str  # the layer stack in one line
    params: int
    epochs: int  # epochs completed
    seconds: float  # training time
    val_acc: float  # final validation accuracy, 0..1
    curve: tuple[float, ...]  # loss values; stored downsampled to at most MAX_CURVE points
    spec_json: str  # the whole PipelineSpec as JSON
    lesson: str = ""  # the lesson the student had loaded, "" for free exploration


@dataclass(frozen=True)
class Entry:
    """A published, validated entry."""

    id: int
    nickname: str
    created: datetime
    lesson: str
    dataset: str
    stack: str
    params: int
    epochs: int
    seconds: float
    val_acc: float
    curve: tuple[float, ...]
    spec_json: str  # canonical JSON, re-serialized from the parsed spec
    hidden: bool

    def spec(self) -> PipelineSpec:
        """The entry's setup, for "Open this setup"."""
        return PipelineSpec.from_json(self.spec_json)


@dataclass(frozen=True)
class Page:
    """One bounded page of a board's entries, and how many match in all."""

    total: int
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class CheckCount:
    """How often one exercise was checked on a board, and how often it was right. No names."""

    exercise: str
    attempts: int
    correct: int
