"""The class board as every page reaches it: the store (opened lazily), short links, a link's class keys.

Nothing here runs at import time. A database that fails is remembered for RETRY_S seconds, so a page that
asks again (the board's live view polls) answers at once instead of waiting for a timeout each time.
Every function raises BoardError (bad input) or BoardUnavailable (no database); callers show the message.
"""
from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from playground.board.errors import BoardError, BoardUnavailable
from playground.classroom.lock import Classroom
from playground.errors import Message
from playground.spec import PipelineSpec

if TYPE_CHECKING:
    from playground.board import Store

RETRY_S = 5.0
_FAILED = {"at": -1e9}
_LOCK = threading.Lock()


def store() -> Store:
    """The process's store on PLAYGROUND_DB (migrated on first use); BoardUnavailable while it is down."""
    with _LOCK:
        if time.monotonic() - _FAILED["at"] < RETRY_S:
            raise BoardUnavailable()
    from playground.board.store import open_store  # SQLAlchemy + Alembic: loaded when a board is first used

    try:
        return open_store()
    except BoardUnavailable:
        with _LOCK:
            _FAILED["at"] = time.monotonic()
        raise


def call(method: str, *args, **kwargs):
    """store().<method>(*args, **kwargs); a failing database marks the store as down for RETRY_S."""
    try:
        return getattr(store(), method)(*args, **kwargs)
    except BoardUnavailable:
        with _LOCK:
            _FAILED["at"] = time.monotonic()
        raise


def forget_failure() -> None:
    """Try the database again on the next call (tests, and a teacher's explicit retry)."""
    with _LOCK:
        _FAILED["at"] = -1e9


def open_short(room: Classroom) -> tuple[Classroom, PipelineSpec | None, Message | None]:
    """A link's short code on the session's first run: (room, its spec or None, why it could not be used).

    An unknown or expired code is dropped from the room; while the database is down it is kept, so a
    reload of the same link tries again.
    """
    try:
        spec = call("load_spec", room.short)
    except BoardUnavailable:
        return room, None, Message("board.page.short_unavailable")
    except BoardError as err:
        return replace(room, short=""), None, err.message
    return replace(room, short_spec=spec), spec, None


def join(room: Classroom) -> tuple[Classroom, Message | None]:
    """Check a link's class code (and teacher key): an unknown code or a wrong key is dropped, with why.

    While the database is down both are kept (the board page says it is unavailable).
    """
    try:
        if room.teacher:
            call("teacher_board", room.board, room.teacher)
        else:
            call("board", room.board)
    except BoardUnavailable:
        return room, None
    except BoardError as err:
        if err.key == "board.wrong_key":
            return replace(room, teacher=""), err.message
        return replace(room, board="", teacher=""), err.message
    return room, None
