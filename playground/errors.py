"""The small family of errors the core raises; the UI turns them into text in the page's language."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Message:
    """A catalogue key plus the numbers that fill it: what the core says, before translation."""

    key: str
    params: dict = field(default_factory=dict)


class PlaygroundError(Exception):
    """Base error: carries a catalogue key and parameters, never a finished sentence."""

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}")

    @property
    def message(self) -> Message:
        """The error as a translatable message."""
        return Message(self.key, dict(self.params))


class SpecError(PlaygroundError):
    """A pipeline spec (or a part of it) is out of range, malformed or inconsistent."""


class ImageError(PlaygroundError):
    """An image could not be decoded safely or is unusable."""
