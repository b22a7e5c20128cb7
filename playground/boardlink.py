"""The class board as every page reaches it: the store (opened lazily), short links, a link's class keys.

Nothing here runs at import time. A database that fails trips a circuit breaker (BREAKER): for RETRY_S
seconds every call is refused at once instead of waiting for a timeout (the board's watchers poll every
1.5 s). Then one call goes through as a probe; if the database answers, every caller is served again,
so a board left open comes back by itself. Refused calls never restart the down time.
Every function raises BoardError (bad input) or BoardUnavailable (no database); callers show the message.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from playground.board.errors import BoardError, BoardUnavailable
from playground.board.watch import Snapshot, View, Watch
from playground.classroom.lock import Classroom
from playground.errors import Message
from playground.spec import PipelineSpec

if TYPE_CHECKING:
    from playground.board import Store

RETRY_S = 5.0


class Breaker:
    """Closed: calls go through. Open (a call failed): calls are refused for down_s, then one probe goes
    through (half-open); its success closes the breaker, its failure opens it again for down_s."""

    def __init__(self, down_s: float = RETRY_S, clock: Callable[[], float] = time.monotonic):
        self.down_s, self.clock = down_s, clock
        self._lock = threading.Lock()
        self._opened: float | None = None  # when the last real failure happened; None: closed
        self._probing = False

    @property
    def is_open(self) -> bool:
        """True while calls are refused or a probe is out."""
        with self._lock:
            return self._opened is not None

    def admit(self) -> None:
        """Let this call through, or raise BoardUnavailable at once (the down time does not restart)."""
        with self._lock:
            if self._opened is None:
                return
            if not self._probing and self.clock() - self._opened >= self.down_s:
                self._probing = True  # this caller is the one probe
                return
        raise BoardUnavailable()

    def succeeded(self) -> None:
        """The database answered (a BoardError about the input is an answer too): close."""
        with self._lock:
            self._opened, self._probing = None, False

    def failed(self) -> None:
        """The database failed for a call that went through: refuse for down_s from now."""
        with self._lock:
            self._opened, self._probing = self.clock(), False

    def through(self, work: Callable[[], object]):
        """work() if admitted; its outcome moves the breaker."""
        self.admit()
        try:
            result = work()
        except BoardUnavailable:
            self.failed()
            raise
        except BoardError:
            self.succeeded()
            raise
        except BaseException:
            with self._lock:
                self._probing = False  # a bug in work is no news about the database
            raise
        self.succeeded()
        return result


BREAKER = Breaker()
WATCH = Watch()  # the watchers' page cache, shared by every session of this process


def _open_store() -> Store:
    from playground.board.store import open_store  # SQLAlchemy + Alembic: loaded when a board is first used

    return open_store()


def store() -> Store:
    """The process's store on PLAYGROUND_DB (migrated on first use); BoardUnavailable while it is down."""
    return BREAKER.through(_open_store)


CHANGES = frozenset({"publish", "hide", "unhide", "delete_entry", "hide_many", "delete_many", "hide_nickname",
                     "delete_nickname", "set_challenge", "close"})  # store methods whose first argument is a board


def call(method: str, *args, **kwargs):
    """store().<method>(*args, **kwargs) through the breaker (BoardUnavailable at once while it is open)."""
    result = BREAKER.through(lambda: getattr(_open_store(), method)(*args, **kwargs))
    if method in CHANGES:
        WATCH.forget(args[0])
    return result


def watch(code: str, view: View, key: str | None = None) -> Snapshot:
    """A watcher's board and page (read from the database only when the board changed)."""
    return WATCH.read(call, code, view, key)


def forget_failure() -> None:
    """Try the database again on the next call (tests, and a teacher's explicit retry)."""
    BREAKER.succeeded()


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
