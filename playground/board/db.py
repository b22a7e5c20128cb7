"""Engines for the class board: PLAYGROUND_DB (a SQLAlchemy URL) or a SQLite file in the repo's data/ folder.

SQLite is set up for many writers in one file: WAL journal, a 5 s busy timeout, foreign keys on, and
SQLAlchemy (not the sqlite3 module) emitting BEGIN, so a writing transaction starts with BEGIN IMMEDIATE
and waits for the write lock up front instead of failing when it upgrades a read lock. PostgreSQL goes
through psycopg 3 with a short connect timeout, so a server that is down is reported within seconds.
Every database failure leaves this package as BoardUnavailable (see `guard`); its cause is logged.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy import event, exc

from playground.board.errors import BoardUnavailable

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FILE = Path("data") / "board.sqlite3"  # under the repo root; data/ is git-ignored
BUSY_TIMEOUT_S = 5.0
CONNECT_TIMEOUT_S = 5  # libpq's unit is whole seconds
# A PostgreSQL connection is a server process with a password exchange: thirty students answering at once must
# queue for ten pooled connections (each transaction takes milliseconds), not open thirty at once, which on a
# busy 2-core server took longer than the connect timeout and reported the database as down.
PG_POOL = {"pool_size": 10, "max_overflow": 0, "pool_timeout": 30}
RETRIES = 3  # a transaction that lost a lock race (busy, deadlock, serialization) runs again
LOG = logging.getLogger("playground.board")
T = TypeVar("T")


def database_url(root: Path = REPO_ROOT) -> sa.URL:
    """PLAYGROUND_DB if set, else the SQLite file data/board.sqlite3 under root (its folder created here)."""
    text = os.environ.get("PLAYGROUND_DB", "").strip()
    if text:
        with guard():
            return sa.make_url(text)
    path = root / DEFAULT_FILE
    with guard():
        path.parent.mkdir(parents=True, exist_ok=True)
    return sa.URL.create("sqlite+pysqlite", database=str(path))


def _sqlite_connect(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _sqlite_begin)
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    cur.execute("PRAGMA foreign_keys = ON")
    try:  # a read-only connection cannot switch the journal; reading still works
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a power cut loses at most the last commits
    except sqlite3.Error as err:
        LOG.warning("board database: WAL not set (%s)", err)
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get("board_write") else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str | sa.URL) -> sa.Engine:
    """A new engine for url: SQLite tuned as above, postgresql:// always through psycopg 3."""
    with guard():
        url = sa.make_url(url)
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        if url.get_backend_name() == "sqlite":
            pool = {"pool_size": 10, "max_overflow": 30, "pool_timeout": 30}  # 30 writers at once may queue briefly
            engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S}, **pool)
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        args = {"connect_timeout": CONNECT_TIMEOUT_S} if url.get_backend_name() == "postgresql" else {}
        return sa.create_engine(url, connect_args=args, pool_pre_ping=True, **PG_POOL)


_ENGINES: dict[str, sa.Engine] = {}
_ENGINES_LOCK = threading.Lock()


def shared_engine(url: str | sa.URL | None = None) -> sa.Engine:
    """One engine per URL per process (default: database_url()), made on first use."""
    key = (sa.make_url(url) if url is not None else database_url()).render_as_string(hide_password=False)
    with _ENGINES_LOCK:
        if key not in _ENGINES:
            _ENGINES[key] = make_engine(key)
        return _ENGINES[key]


@contextmanager
def guard() -> Iterator[None]:
    """Turn any database or file-system failure into BoardUnavailable; BoardErrors pass through."""
    try:
        yield
    except BoardUnavailable:
        raise
    except (exc.SQLAlchemyError, OSError) as err:
        LOG.warning("board database unavailable: %s: %s", type(err).__name__, str(err).splitlines()[0][:300])
        raise BoardUnavailable() from err


def _transient(err: exc.DBAPIError) -> bool:
    """A lost lock race worth retrying: SQLite busy/locked, PostgreSQL deadlock or serialization failure."""
    text = str(err.orig).lower()
    code = getattr(err.orig, "sqlstate", None)
    return "database is locked" in text or "database is busy" in text or code in ("40001", "40P01")


def run(engine: sa.Engine, work: Callable[[sa.Connection], T], write: bool = False) -> T:
    """work(conn) in one transaction (a writing one when write), retried on lock races, failures guarded."""
    with guard():
        for attempt in range(RETRIES):
            try:
                with engine.connect() as conn:
                    conn.execution_options(board_write=write)
                    with conn.begin():
                        return work(conn)
            except exc.OperationalError as err:
                if attempt == RETRIES - 1 or not _transient(err):
                    raise
                LOG.info("board database busy, retrying (%s)", err.orig)
                time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")  # the loop returns or raises
