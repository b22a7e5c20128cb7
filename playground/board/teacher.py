"""The teacher's operations; every one needs the board's teacher key (wrong key: board.wrong_key).

The key is checked here, in the same transaction as the change, whatever page or client asked for it.
"""
from __future__ import annotations

import sqlalchemy as sa

from playground.board import validate as check
from playground.board.base import StoreBase, to_board, to_entry
from playground.board.entries import MAX_ENTRIES
from playground.board.errors import BoardError
from playground.board.export import entries_csv
from playground.board.models import Board, Challenge
from playground.board.tables import boards, entries

_E = entries.c


class TeacherMixin(StoreBase):
    """Moderation, the challenge rule, closing, export."""

    def _entry_op(self, code: str, key: str, entry_id: int, statement) -> None:
        """Run an UPDATE/DELETE of one entry of the board; an entry of another board is unknown."""
        entry_id = check.integer(entry_id, "entry_id", 1, 2**62)

        def work(conn: sa.Connection) -> None:
            board = self._teacher(conn, code, key, lock=True)
            done = conn.execute(statement.where(_E.id == entry_id, _E.board_id == board.id)).rowcount
            if done != 1:
                raise BoardError("board.unknown_entry", id=entry_id)
            self._bump(conn, board.id)
        self._write(work)

    def _many_op(self, code: str, key: str, statement, which) -> int:
        """Run an UPDATE/DELETE on the board's entries matching which; how many; none at all: board.none_matched."""
        def work(conn: sa.Connection) -> int:
            board = self._teacher(conn, code, key, lock=True)
            done = conn.execute(statement.where(_E.board_id == board.id, which)).rowcount
            if done < 1:
                raise BoardError("board.none_matched")
            self._bump(conn, board.id)
            return done
        return self._write(work)

    @staticmethod
    def _ids(entry_ids: object) -> list[int]:
        """1 to MAX_ENTRIES entry numbers."""
        if isinstance(entry_ids, (str, bytes)) or not hasattr(entry_ids, "__iter__"):
            raise BoardError("board.bad_field", field="entry_ids")
        ids = list(entry_ids)
        if not 1 <= len(ids) <= MAX_ENTRIES:
            raise BoardError("board.none_matched")
        return sorted({check.integer(i, "entry_id", 1, 2**62) for i in ids})

    def hide_many(self, code: str, key: str, entry_ids, hidden: bool = True) -> int:
        """Hide (or show again) these entries of the board at once; how many changed."""
        return self._many_op(code, key, sa.update(entries).values(hidden=bool(hidden)), _E.id.in_(self._ids(entry_ids)))

    def delete_many(self, code: str, key: str, entry_ids) -> int:
        """Delete these entries of the board for good; how many."""
        return self._many_op(code, key, sa.delete(entries), _E.id.in_(self._ids(entry_ids)))

    def hide_nickname(self, code: str, key: str, nickname: str, hidden: bool = True) -> int:
        """Hide (or show again) every entry published under this nickname (as cleaned when published)."""
        return self._many_op(code, key, sa.update(entries).values(hidden=bool(hidden)),
                             _E.nickname == check.nickname(nickname))

    def delete_nickname(self, code: str, key: str, nickname: str) -> int:
        """Delete every entry published under this nickname; how many."""
        return self._many_op(code, key, sa.delete(entries), _E.nickname == check.nickname(nickname))

    def hide(self, code: str, key: str, entry_id: int, hidden: bool = True) -> None:
        """Hide an entry from the students' board (or show it again with hidden=False)."""
        self._entry_op(code, key, entry_id, sa.update(entries).values(hidden=bool(hidden)))

    def unhide(self, code: str, key: str, entry_id: int) -> None:
        """Show a hidden entry again."""
        self.hide(code, key, entry_id, hidden=False)

    def delete_entry(self, code: str, key: str, entry_id: int) -> None:
        """Delete an entry for good."""
        self._entry_op(code, key, entry_id, sa.delete(entries))

    def set_challenge(self, code: str, key: str, rule: Challenge | None) -> Board:
        """Set (or, with None or an empty rule, clear) the board's challenge rule."""
        rule = check.challenge(rule)
        values = {"challenge_max_params": rule.max_params, "challenge_dataset": rule.dataset,
                  "challenge_max_epochs": rule.max_epochs}
        return self._set_board(code, key, values)

    def close(self, code: str, key: str, closed: bool = True) -> Board:
        """Close the board to new entries and checks (or reopen it with closed=False); it stays readable."""
        return self._set_board(code, key, {"closed": bool(closed)})

    def _set_board(self, code: str, key: str, values: dict) -> Board:
        def work(conn: sa.Connection) -> Board:
            board = self._teacher(conn, code, key, lock=True)
            conn.execute(sa.update(boards).where(boards.c.id == board.id).values(values))
            self._bump(conn, board.id)
            return to_board(conn.execute(sa.select(boards).where(boards.c.id == board.id)).one())
        return self._write(work)

    def export_csv(self, code: str, key: str, lang: str = "en") -> str:
        """Every entry (hidden ones too, marked) as CSV, oldest first, header in lang."""
        def work(conn: sa.Connection):
            board = self._teacher(conn, code, key)
            rows = conn.execute(sa.select(entries).where(_E.board_id == board.id).order_by(_E.created, _E.id))
            return to_board(board).challenge, [to_entry(r) for r in rows]
        rule, found = self._read(work)
        return entries_csv(found, rule, lang)
