"""Boards: create one (class code + teacher key), look one up, purge the expired ones."""
from __future__ import annotations

import sqlalchemy as sa

from playground.board import codes
from playground.board import validate as check
from playground.board.base import DAY_S, StoreBase, board_days, to_board
from playground.board.errors import BoardUnavailable
from playground.board.models import Board
from playground.board.tables import boards, checks, class_answers, class_students, classes, entries, links

_CODE_TRIES = 5  # a clash of two random 10-symbol codes is ~1e-15 per pair; retry rather than fail


class BoardsMixin(StoreBase):
    """Board life cycle."""

    def create_board(self, lesson: str = "", days: int | None = None) -> tuple[str, str]:
        """A new board: (class_code, teacher_key). The key is shown once; only its hash is kept."""
        lesson = check.lesson(lesson)
        days = check.days(board_days() if days is None else days)
        key = codes.new_teacher_key()
        for attempt in range(_CODE_TRIES):
            code = codes.random_code()
            now = self.clock()
            row = {"code": code, "key_hash": codes.key_hash(key), "lesson": lesson, "created": now,
                   "expires": now + days * DAY_S, "closed": False}
            try:
                self._write(lambda conn, row=row: conn.execute(sa.insert(boards), row))
                return code, key
            except BoardUnavailable as err:  # a unique-code clash is retried; anything else is real
                if not isinstance(err.__cause__, sa.exc.IntegrityError) or attempt == _CODE_TRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def board(self, code: str) -> Board:
        """The live board with this code; unknown or expired codes raise board.unknown."""
        return to_board(self._read(lambda conn: self._live(conn, code)))

    def teacher_board(self, code: str, key: str) -> Board:
        """The board, if key is its teacher key (for the teacher's view to check the key once)."""
        return to_board(self._read(lambda conn: self._teacher(conn, code, key)))

    def purge_expired(self) -> int:
        """Delete expired boards (with their entries and counts) and expired short links; return boards gone."""
        def work(conn: sa.Connection) -> int:
            now = self.clock()
            dead = sa.select(boards.c.id).where(boards.c.expires <= now).scalar_subquery()
            conn.execute(sa.delete(entries).where(entries.c.board_id.in_(dead)))  # not left to ON DELETE CASCADE
            conn.execute(sa.delete(checks).where(checks.c.board_id.in_(dead)))
            for table in (class_answers, class_students, classes):
                conn.execute(sa.delete(table).where(table.c.board_id.in_(dead)))
            conn.execute(sa.delete(links).where(links.c.expires <= now))
            return conn.execute(sa.delete(boards).where(boards.c.expires <= now)).rowcount
        return self._write(work)
