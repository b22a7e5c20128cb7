"""The class board's errors: bad input (BoardError) versus a database that cannot be reached or written."""
from __future__ import annotations

from playground.errors import PlaygroundError


class BoardError(PlaygroundError):
    """Bad input to the board (unknown code, wrong teacher key, odd nickname, forged spec...): nothing changed."""


class BoardUnavailable(BoardError):
    """The database cannot be read or written (read-only file, full disk, server down): try again later."""

    def __init__(self, key: str = "board.unavailable", **params):
        super().__init__(key, **params)
