"""Entries: publish a finished run, list a board's entries, rank those that meet the challenge."""
from __future__ import annotations

import sqlalchemy as sa

from playground.board import validate as check
from playground.board.base import StoreBase, to_board, to_entry
from playground.board.errors import BoardError
from playground.board.models import Entry, NewEntry
from playground.board.tables import entries

MAX_ENTRIES = 2000  # per board: a class of 30 publishing all lesson long stays far below
_E = entries.c
SORTS = {  # ties: the earlier entry first
    "acc": (_E.val_acc.desc(), _E.created, _E.id),  # best validation accuracy first
    "time": (_E.seconds, _E.created, _E.id),  # shortest training first
    "params": (_E.params, _E.val_acc.desc(), _E.id),  # smallest model first
    "new": (_E.created.desc(), _E.id.desc()),  # newest first
}


class EntriesMixin(StoreBase):
    """Publishing and reading entries."""

    def publish(self, code: str, nickname: str, entry: NewEntry | dict) -> Entry:
        """Store a run under nickname on an open board; the stored (cleaned, downsampled) entry comes back."""
        row = {**check.entry_row(entry), "nickname": check.nickname(nickname), "hidden": False}

        def work(conn: sa.Connection) -> Entry:
            board = self._open(conn, code)
            count = conn.execute(sa.select(sa.func.count()).where(_E.board_id == board.id)).scalar_one()
            if count >= MAX_ENTRIES:
                raise BoardError("board.full", max=MAX_ENTRIES)
            values = {**row, "board_id": board.id, "created": self.clock()}
            new_id = conn.execute(sa.insert(entries).values(values)).inserted_primary_key[0]
            return to_entry(conn.execute(sa.select(entries).where(_E.id == new_id)).one())
        return self._write(work)

    def entries(self, code: str, sort: str = "acc", dataset: str | None = None, lesson: str | None = None,
                include_hidden: bool = False, key: str | None = None) -> list[Entry]:
        """A board's entries, sorted ("acc", "time", "params", "new") and filtered; hidden ones need the key."""
        if sort not in SORTS:
            raise BoardError("board.bad_sort", choices=", ".join(SORTS))
        dataset = None if dataset is None else check.dataset(dataset)
        lesson = None if lesson is None else check.lesson(lesson)

        def work(conn: sa.Connection) -> list[Entry]:
            board = self._teacher(conn, code, key) if include_hidden else self._live(conn, code)
            query = sa.select(entries).where(_E.board_id == board.id).order_by(*SORTS[sort])
            if not include_hidden:
                query = query.where(_E.hidden.is_(False))
            if dataset is not None:
                query = query.where(_E.dataset == dataset)
            if lesson is not None:
                query = query.where(_E.lesson == lesson)
            return [to_entry(r) for r in conn.execute(query)]
        return self._read(work)

    def ranking(self, code: str, best_only: bool = True) -> list[Entry]:
        """Visible entries that meet the board's challenge, best accuracy first (then fewer parameters).

        best_only keeps each nickname's best entry (compared case-insensitively), so one student
        publishing ten runs does not fill the table. With no rule set, every entry takes part.
        """
        def work(conn: sa.Connection) -> list[Entry]:
            board = self._live(conn, code)
            rule = to_board(board).challenge
            query = (sa.select(entries).where(_E.board_id == board.id, _E.hidden.is_(False))
                     .order_by(_E.val_acc.desc(), _E.params, _E.created, _E.id))
            return [e for e in map(to_entry, conn.execute(query)) if rule.admits(e)]
        ranked, seen = [], set()
        for e in self._read(work):
            name = e.nickname.casefold()
            if not (best_only and name in seen):
                ranked.append(e)
                seen.add(name)
        return ranked
