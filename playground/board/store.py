"""The class board's store: one object over an engine, and the process-wide default one."""
from __future__ import annotations

import threading
import weakref

import sqlalchemy as sa

from playground.board import db
from playground.board.boards import BoardsMixin
from playground.board.entries import EntriesMixin
from playground.board.errors import BoardUnavailable
from playground.board.links import LinksMixin
from playground.board.migrate import ensure_schema
from playground.board.pace import PaceMixin
from playground.board.teacher import TeacherMixin


class Store(BoardsMixin, EntriesMixin, TeacherMixin, LinksMixin, PaceMixin):
    """Boards, entries, teacher operations, short links, check counts and a running lesson on one database.

    Store(engine) assumes the schema is current; open_store() makes sure of it. Every method raises
    BoardError for bad input (nothing changed) and BoardUnavailable when the database fails.
    """


_READY: weakref.WeakSet[sa.Engine] = weakref.WeakSet()  # engines migrated in this process
_READY_LOCK = threading.Lock()


def open_store(engine: sa.Engine | None = None) -> Store:
    """A Store on engine (default: the process's shared engine for PLAYGROUND_DB), migrated once per process.

    The first call per engine also purges expired boards. When the database is down, this raises
    BoardUnavailable and the next call tries again.
    """
    engine = engine if engine is not None else db.shared_engine()
    with _READY_LOCK:
        if engine not in _READY:
            ensure_schema(engine)
            _tidy(Store(engine))
            _READY.add(engine)
    return Store(engine)


def _tidy(store: Store) -> None:
    """Purge expired boards and links at start; a database that only reads (read-only file) still serves."""
    try:
        store.purge_expired()
    except BoardUnavailable:
        db.LOG.warning("board database: expired boards not purged (the database cannot be written)")
