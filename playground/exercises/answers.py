"""Typed expected answers: each knows its value, how to read a typed answer, how to compare, its format hint."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from playground.errors import Message
from playground.exercises import reading
from playground.exercises.model import AnswerFormatError
from playground.i18n import LANGUAGES, catalogue


class Answer(Protocol):
    """What every typed answer offers the checker."""

    value: Any  # the right answer (None for a prediction)

    def parse(self, text) -> Any:
        """The typed text as a value, or AnswerFormatError (a format hint); never any other exception."""

    def same(self, a: Any, b: Any) -> bool:
        """Whether two values count as the same answer (a tolerance for decimals)."""

    def fits(self, value: Any) -> bool:
        """Whether a read value has the answer's form (e.g. three numbers for C×H×W)."""

    @property
    def format(self) -> Message:
        """What the answer box expects, with an example."""


def _format_error(fmt: Message) -> AnswerFormatError:
    return AnswerFormatError(fmt.key, **fmt.params)


def times(values) -> str:
    """(16, 84, 127) -> '16×84×127' (the same in every language)."""
    return "×".join(str(v) for v in values)


@dataclass(frozen=True)
class Integer:
    """One whole number; square=True also takes 'n×n' for a square output."""

    value: int
    square: bool = False
    example: str = "12"

    def parse(self, text) -> int:
        """The number typed, or AnswerFormatError with this answer's format hint."""
        s = reading.clean(text)
        v = reading.read_int(s)
        if v is None and self.square:
            both = reading.read_ints(s)
            if both and len(both) == 2:
                if both[0] != both[1]:
                    raise AnswerFormatError("exercises.formats.square", example=self.example)
                v = both[0]
        if v is None:
            raise _format_error(self.format)
        return v

    def same(self, a: Any, b: Any) -> bool:
        """Equal values (see Answer.same)."""
        return isinstance(a, int) and isinstance(b, int) and a == b

    def fits(self, value: Any) -> bool:
        """The answer's form (see Answer.fits)."""
        return isinstance(value, int)

    @property
    def format(self) -> Message:
        """The format hint (see Answer.format)."""
        key = "exercises.formats.side" if self.square else "exercises.formats.integer"
        return Message(key, {"example": self.example})


@dataclass(frozen=True)
class Integers:
    """Several whole numbers in order, like C×H×W; names is how the format hint spells them."""

    value: tuple[int, ...]
    names: str = "C×H×W"
    example: str = "16×84×127"

    def parse(self, text) -> tuple[int, ...]:
        """The typed text read (see Answer.parse)."""
        v = reading.read_ints(reading.clean(text))
        if v is None:
            raise _format_error(self.format)
        return v

    def same(self, a: Any, b: Any) -> bool:
        """Equal values (see Answer.same)."""
        return isinstance(a, tuple) and a == b

    def fits(self, value: Any) -> bool:
        """The answer's form (see Answer.fits)."""
        return isinstance(value, tuple) and len(value) == len(self.value)

    @property
    def format(self) -> Message:
        """The format hint (see Answer.format)."""
        return Message("exercises.formats.integers", {"count": len(self.value), "names": self.names,
                                                       "example": self.example})


@dataclass(frozen=True)
class Decimal:
    """A number with a tolerance; percent=True reads a share ('25%', '0.25', '1/4') as a fraction 0..1."""

    value: float
    tol: float = 0.01
    percent: bool = False
    example: str = "0.25"

    def parse(self, text) -> float:
        """The typed text read (see Answer.parse)."""
        s = reading.clean(text)
        v = reading.read_percent(s) if self.percent else reading.read_decimal(s, self.example)
        if v is None:
            raise _format_error(self.format)
        return v

    def same(self, a: Any, b: Any) -> bool:
        """Equal values (see Answer.same)."""
        return isinstance(a, float | int) and isinstance(b, float | int) and abs(a - b) <= self.tol + 1e-12

    def fits(self, value: Any) -> bool:
        """The answer's form (see Answer.fits)."""
        return isinstance(value, float | int)

    @property
    def format(self) -> Message:
        """The format hint (see Answer.format)."""
        key = "exercises.formats.percent" if self.percent else "exercises.formats.decimal"
        return Message(key, {"example": self.example})


def _squash(text: str) -> str:
    """The form choice aliases are compared in: no spaces, dashes, underscores or quotes, lower case."""
    return re.sub(r"[\s\-_'\"“”‘’]+", "", text.casefold())


@dataclass(frozen=True)
class Choice:
    """One of a few options (catalogue labels exercises.options.<group>.<option>); value None: a prediction."""

    value: str | None
    options: tuple[str, ...]
    group: str
    params: tuple[tuple[str, Any], ...] = ()  # placeholders of the option labels, e.g. the two learning rates
    aliases: tuple[tuple[str, str], ...] = ()  # (typed text, option) this question also accepts, e.g. ("0.5", "a")

    def labels(self) -> tuple[Message, ...]:
        """One translatable label per option, in order (what a radio button shows)."""
        return tuple(Message(f"exercises.options.{self.group}.{o}", dict(self.params)) for o in self.options)

    def _table(self) -> dict[str, str | None]:
        """Every accepted spelling -> option (None where two options share a spelling)."""
        table: dict[str, str | None] = {}
        words = [(o, o) for o in self.options] + [(a, o) for a, o in self.aliases]
        for lang in LANGUAGES:
            cat = catalogue(lang)
            for o in self.options:
                words.append((cat[f"exercises.options.{self.group}.{o}"].format(**dict(self.params)), o))
                words += [(w, o) for w in cat.get(f"exercises.aliases.{self.group}.{o}", "").split("|") if w]
        for word, o in words:
            key = _squash(reading.clean(word))
            table[key] = o if table.get(key, o) == o else None
        return table

    def _without_fillers(self, text: str) -> str:
        """The text without words that only frame the answer ("the", "corner", "角"), in any language."""
        for lang in LANGUAGES:
            for word in catalogue(lang).get(f"exercises.fillers.{self.group}", "").split("|"):
                pattern = rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word)
                text = re.sub(pattern, " ", text, flags=re.IGNORECASE) if word else text
        return text

    def parse(self, text) -> str:
        """The typed text read (see Answer.parse)."""
        table, typed = self._table(), reading.clean(text)
        option = table.get(_squash(typed))
        if option is None:
            option = table.get(_squash(self._without_fillers(typed)))
        if option is None:
            raise _format_error(self.format)
        return option

    def same(self, a: Any, b: Any) -> bool:
        """Equal values (see Answer.same)."""
        return isinstance(a, str) and a == b

    def fits(self, value: Any) -> bool:
        """The answer's form (see Answer.fits)."""
        return value in self.options

    @property
    def format(self) -> Message:
        """The format hint (see Answer.format)."""
        return Message(f"exercises.formats.choice_{self.group}", dict(self.params))


@dataclass(frozen=True)
class Cells:
    """A set of grid cells, (row, column) counted from 1 at the top left."""

    value: frozenset[tuple[int, int]]

    def parse(self, text) -> frozenset[tuple[int, int]]:
        """The typed text read (see Answer.parse)."""
        v = reading.read_cells(reading.clean(text))
        if v is None:
            raise _format_error(self.format)
        return v

    def same(self, a: Any, b: Any) -> bool:
        """Equal values (see Answer.same)."""
        return isinstance(a, frozenset) and a == b

    def fits(self, value: Any) -> bool:
        """The answer's form (see Answer.fits)."""
        return isinstance(value, frozenset)

    @property
    def format(self) -> Message:
        """The format hint (see Answer.format)."""
        return Message("exercises.formats.cells")


def rectangle(cells: frozenset[tuple[int, int]]) -> dict:
    """{'rows': '2–4', 'cols': '1–3'}: the rows and columns of a set of cells, as ranges or lists."""
    rows, cols = sorted({r for r, _ in cells}), sorted({c for _, c in cells})
    return {"rows": spans(rows), "cols": spans(cols)}


def spans(values: list[int]) -> str:
    """[2, 3, 4] -> '2–4'; [1, 3, 5] -> '1, 3, 5'; [] -> '–'."""
    if not values:
        return "–"
    if values == list(range(values[0], values[-1] + 1)) and len(values) > 1:
        return f"{values[0]}–{values[-1]}"
    return ", ".join(str(v) for v in values)
