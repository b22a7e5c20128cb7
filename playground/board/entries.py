"""Entries: publish a finished run (once, at a student's rate), read a bounded page, rank the challenge."""
from __future__ import annotations

import hashlib
import json
import math

import sqlalchemy as sa

from playground.board import validate as check
from playground.board.base import StoreBase, to_board, to_entry
from playground.board.errors import BoardError
from playground.board.models import Entry, NewEntry, Page
from playground.board.tables import entries

MAX_ENTRIES = 2000  # per board: a class of 30 publishing all lesson long stays far below
RATE_COUNT, RATE_WINDOW_S = 5, 60.0  # per nickname and per publishing tab on one board
PAGE_MAX = 200  # rows one page may ask for: what a watcher draws stays bounded whatever the board holds
_E = entries.c
SORTS = {  # ties: the earlier entry first
    "acc": (_E.val_acc.desc(), _E.created, _E.id),  # best validation accuracy first
    "time": (_E.seconds, _E.created, _E.id),  # shortest training first
    "params": (_E.params, _E.val_acc.desc(), _E.id),  # smallest model first
    "new": (_E.created.desc(), _E.id.desc()),  # newest first
}
_RANK = (_E.val_acc.desc(), _E.params, _E.created, _E.id)


def fingerprint(row: dict) -> str:
    """A run's identity when the caller gives none: SHA-256 of the checked entry and its nickname."""
    kept = {k: v for k, v in row.items() if k not in ("hidden", "run_id", "author")}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class EntriesMixin(StoreBase):
    """Publishing and reading entries."""

    def publish(self, code: str, nickname: str, entry: NewEntry | dict, run_id: str | None = None,
                author: str | None = None) -> Entry:
        """Store a run under nickname on an open board; the stored (cleaned, downsampled) entry comes back.

        run_id names the finished run (default: its content and nickname): a run already on the board
        gives back its entry and adds nothing. author is an opaque token of the publishing tab; a nickname
        or an author publishes at most RATE_COUNT runs per RATE_WINDOW_S seconds (board.too_fast).
        """
        row = {**check.entry_row(entry), "nickname": check.nickname(nickname), "hidden": False}
        row["run_id"] = fingerprint(row) if run_id is None else check.token(run_id, "run_id")
        row["author"] = None if author is None else check.token(author, "author")

        def work(conn: sa.Connection) -> Entry:
            board = self._open(conn, code, lock=True)  # publishes to one board take turns from here
            same = conn.execute(sa.select(entries).where(_E.board_id == board.id, _E.run_id == row["run_id"])).first()
            if same is not None:
                return to_entry(same)
            self._check_rate(conn, board.id, row["nickname"], row["author"])
            count = conn.execute(sa.select(sa.func.count()).where(_E.board_id == board.id)).scalar_one()
            if count >= MAX_ENTRIES:
                raise BoardError("board.full", max=MAX_ENTRIES)
            values = {**row, "board_id": board.id, "created": self.clock()}
            new_id = conn.execute(sa.insert(entries).values(values)).inserted_primary_key[0]
            self._bump(conn, board.id)
            return to_entry(conn.execute(sa.select(entries).where(_E.id == new_id)).one())
        return self._write(work)

    def _check_rate(self, conn: sa.Connection, board_id: int, nickname: str, author: str | None) -> None:
        """board.too_fast when this nickname or author published RATE_COUNT runs in the last window."""
        now = self.clock()
        who = _E.nickname == nickname if author is None else sa.or_(_E.nickname == nickname, _E.author == author)
        recent = conn.execute(sa.select(_E.created).where(_E.board_id == board_id, _E.created > now - RATE_WINDOW_S, who)
                              .order_by(_E.created.desc()).limit(RATE_COUNT)).scalars().all()
        if len(recent) >= RATE_COUNT:
            wait = max(1, math.ceil(min(recent) + RATE_WINDOW_S - now))
            raise BoardError("board.too_fast", n=RATE_COUNT, window=round(RATE_WINDOW_S), seconds=wait)

    def _query(self, conn: sa.Connection, code: str, what, dataset: str | None, lesson: str | None,
               include_hidden: bool, key: str | None):
        """SELECT what FROM the board's entries, filtered; hidden ones need the teacher key."""
        board = self._teacher(conn, code, key) if include_hidden else self._live(conn, code)
        query = sa.select(what).where(_E.board_id == board.id)
        if not include_hidden:
            query = query.where(_E.hidden.is_(False))
        if dataset is not None:
            query = query.where(_E.dataset == dataset)
        if lesson is not None:
            query = query.where(_E.lesson == lesson)
        return query

    @staticmethod
    def _filters(sort: str, dataset: str | None, lesson: str | None) -> tuple[str | None, str | None]:
        if sort not in SORTS:
            raise BoardError("board.bad_sort", choices=", ".join(SORTS))
        return (None if dataset is None else check.dataset(dataset)), (None if lesson is None else check.lesson(lesson))

    def entries(self, code: str, sort: str = "acc", dataset: str | None = None, lesson: str | None = None,
                include_hidden: bool = False, key: str | None = None) -> list[Entry]:
        """A board's entries, sorted ("acc", "time", "params", "new") and filtered; hidden ones need the key."""
        dataset, lesson = self._filters(sort, dataset, lesson)

        def work(conn: sa.Connection) -> list[Entry]:
            query = self._query(conn, code, entries, dataset, lesson, include_hidden, key).order_by(*SORTS[sort])
            return [to_entry(r) for r in conn.execute(query)]
        return self._read(work)

    def page(self, code: str, sort: str = "acc", dataset: str | None = None, lesson: str | None = None,
             include_hidden: bool = False, key: str | None = None, limit: int = 50, offset: int = 0) -> Page:
        """At most limit entries from offset, in entries()'s order and filters, and how many match in all."""
        dataset, lesson = self._filters(sort, dataset, lesson)
        limit = check.integer(limit, "limit", 1, PAGE_MAX)
        offset = check.integer(offset, "offset", 0, 10 * MAX_ENTRIES)

        def work(conn: sa.Connection) -> Page:
            query = self._query(conn, code, entries, dataset, lesson, include_hidden, key)
            total = conn.execute(query.with_only_columns(sa.func.count())).scalar_one()
            rows = conn.execute(query.order_by(*SORTS[sort]).limit(limit).offset(offset))
            return Page(int(total), tuple(to_entry(r) for r in rows))
        return self._read(work)

    def ranking(self, code: str, best_only: bool = True, limit: int | None = None) -> list[Entry]:
        """Visible entries that meet the board's challenge, best accuracy first (then fewer parameters).

        best_only keeps each nickname's best entry (compared case-insensitively by the database's lower()),
        so one student publishing ten runs does not fill the table. With no rule set, every entry takes
        part. limit keeps the first limit rows: the database ranks, only they travel.
        """
        limit = None if limit is None else check.integer(limit, "limit", 1, PAGE_MAX)

        def work(conn: sa.Connection) -> list[Entry]:
            board = self._live(conn, code)
            rule = to_board(board).challenge
            query = sa.select(entries).where(_E.board_id == board.id, _E.hidden.is_(False))
            query = query.where(*_rule_filters(rule))
            if best_only:
                place = sa.func.row_number().over(partition_by=sa.func.lower(_E.nickname), order_by=_RANK)
                ranked = query.add_columns(place.label("place")).subquery()
                query = sa.select(*[ranked.c[c.name] for c in entries.c]).where(ranked.c.place == 1)
                order = (ranked.c.val_acc.desc(), ranked.c.params, ranked.c.created, ranked.c.id)
            else:
                order = _RANK
            return [to_entry(r) for r in conn.execute(query.order_by(*order).limit(limit))]
        return self._read(work)


def _rule_filters(rule) -> list:
    """The challenge rule as WHERE conditions (Challenge.admits, in the database)."""
    conds = [_E.params <= rule.max_params] if rule.max_params is not None else []
    conds += [_E.dataset == rule.dataset] if rule.dataset is not None else []
    conds += [_E.epochs <= rule.max_epochs] if rule.max_epochs is not None else []
    return conds
