"""What every part of the store shares: the engine, the clock, live-board lookup and row conversion."""
from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

from playground.board import codes, db
from playground.board.errors import BoardError
from playground.board.models import Board, Challenge, Entry, utc
from playground.board.tables import boards

T = TypeVar("T")
DEFAULT_BOARD_DAYS = 14
DEFAULT_LINK_DAYS = 365
DAY_S = 86400.0


def env_days(name: str, default: int) -> int:
    """A whole number of days from the environment; unset, malformed or outside 1-3650 gives default."""
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= 3650 else default


def board_days() -> int:
    """PLAYGROUND_BOARD_DAYS: how long a new board lives (default 14)."""
    return env_days("PLAYGROUND_BOARD_DAYS", DEFAULT_BOARD_DAYS)


def link_days() -> int:
    """PLAYGROUND_LINK_DAYS: how long a short link lives after it was last stored (default 365)."""
    return env_days("PLAYGROUND_LINK_DAYS", DEFAULT_LINK_DAYS)


def to_board(row) -> Board:
    """A boards row as a Board."""
    rule = Challenge(row.challenge_max_params, row.challenge_dataset, row.challenge_max_epochs)
    return Board(row.code, row.lesson, rule, bool(row.closed), utc(row.created), utc(row.expires), int(row.revision))


def to_entry(row) -> Entry:
    """An entries row as an Entry."""
    return Entry(row.id, row.nickname, utc(row.created), row.lesson, row.dataset, row.stack, int(row.params),
                 int(row.epochs), float(row.seconds), float(row.val_acc), tuple(json.loads(row.curve)), row.spec,
                 bool(row.hidden))


class StoreBase:
    """The engine, a clock (Unix seconds; tests pass a fake one) and the transaction helpers."""

    def __init__(self, engine: sa.Engine, clock: Callable[[], float] = time.time):
        self.engine = engine
        self.clock = clock

    def _read(self, work: Callable[[sa.Connection], T]) -> T:
        return db.run(self.engine, work)

    def _write(self, work: Callable[[sa.Connection], T]) -> T:
        return db.run(self.engine, work, write=True)

    def _live(self, conn: sa.Connection, code: object, lock: bool = False):
        """The boards row of a code that exists and has not expired; otherwise board.unknown.

        lock holds the row until the transaction ends (PostgreSQL: FOR NO KEY UPDATE; SQLite's writing
        transaction holds the whole file already), so writers of one board take turns.
        """
        code = codes.normalize_code(code)
        query = sa.select(boards).where(boards.c.code == code, boards.c.expires > self.clock())
        row = conn.execute(query.with_for_update(key_share=True) if lock else query).first()
        if row is None:
            raise BoardError("board.unknown", code=code)
        return row

    def _open(self, conn: sa.Connection, code: object, lock: bool = False):
        """A live board that still takes entries; a closed one raises board.closed."""
        row = self._live(conn, code, lock)
        if row.closed:
            raise BoardError("board.closed", code=row.code)
        return row

    def _teacher(self, conn: sa.Connection, code: object, key: object, lock: bool = False):
        """A live board whose teacher key is key; a wrong key raises board.wrong_key."""
        row = self._live(conn, code, lock)
        if not codes.key_matches(key, row.key_hash):
            raise BoardError("board.wrong_key")
        return row

    @staticmethod
    def _bump(conn: sa.Connection, board_id: int) -> None:
        """Raise the board's revision: every watcher re-reads its page once."""
        conn.execute(sa.update(boards).where(boards.c.id == board_id).values(revision=boards.c.revision + 1))
