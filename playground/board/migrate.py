"""Alembic at start: `ensure_schema(engine)` upgrades the board's database to the newest revision.

Several app processes may start at once. On PostgreSQL the upgrade runs under a transaction-scoped
advisory lock; on SQLite inside one BEGIN IMMEDIATE transaction (the write lock). Either way the second
process waits, then finds the schema at head and does nothing. A database already at head is only read.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from playground.board import db

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "head"
_PG_LOCK_ID = 0x706C6179_626F6172 & 0x7FFFFFFFFFFFFFFF  # "playboar": any constant bigint shared by all processes


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic config pointing at migrations/; with a connection, env.py migrates on it."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision id in migrations/versions/."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    return db.run(engine, lambda conn: MigrationContext.configure(conn).get_current_revision())


def upgrade(engine: sa.Engine, revision: str = HEAD) -> None:
    """Upgrade to revision under the cross-process lock (tests also stop at an older one)."""
    def work(conn: sa.Connection) -> None:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_ID})
        command.upgrade(alembic_config(conn), revision)
    db.run(engine, work, write=True)


def ensure_schema(engine: sa.Engine) -> None:
    """Bring the database to the newest schema; a no-op read when it is there already."""
    if current_revision(engine) != head_revision():
        upgrade(engine)


def run_env(context) -> None:
    """Body of playground/board/migrations/env.py: migrate on the handed-over connection, or on PLAYGROUND_DB (the CLI)."""
    conn = context.config.attributes.get("connection")
    if conn is None:  # `alembic -c playground/board/alembic.ini upgrade head`
        with db.make_engine(db.database_url()).connect() as own:
            _migrate(context, own)
            own.commit()
        return
    _migrate(context, conn)


def _migrate(context, conn: sa.Connection) -> None:
    context.configure(connection=conn, target_metadata=None, render_as_batch=conn.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
