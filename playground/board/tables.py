"""The board's tables as they are at the newest migration: what the store reads and writes.

The migrations in migrations/versions/ create and change these; they do not import this module, so an
old migration keeps meaning what it meant. Times are Unix seconds (float) so SQLite and PostgreSQL compare
them the same way; curves and specs are JSON text.
"""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

boards = sa.Table(
    "boards", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("key_hash", sa.String(64), nullable=False),  # sha256 of the teacher key, never the key
    sa.Column("lesson", sa.String(40), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("expires", sa.Float, nullable=False, index=True),
    sa.Column("closed", sa.Boolean, nullable=False),
    # 0002: the teacher's challenge rule; NULL = no limit on that point
    sa.Column("challenge_max_params", sa.BigInteger),
    sa.Column("challenge_dataset", sa.String(16)),
    sa.Column("challenge_max_epochs", sa.Integer),
    # 0003: raised by every change of the board's entries or settings; watchers re-read only when it moved
    sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
)

entries = sa.Table(
    "entries", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("nickname", sa.String(64), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("lesson", sa.String(40), nullable=False),
    sa.Column("dataset", sa.String(16), nullable=False),
    sa.Column("stack", sa.Text, nullable=False),
    sa.Column("params", sa.BigInteger, nullable=False),
    sa.Column("epochs", sa.Integer, nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("val_acc", sa.Float, nullable=False),
    sa.Column("curve", sa.Text, nullable=False),
    sa.Column("spec", sa.Text, nullable=False),
    sa.Column("hidden", sa.Boolean, nullable=False),
    # 0003: the run's identity (unique per board: one run, one entry) and the publishing tab's token
    sa.Column("run_id", sa.String(64)),
    sa.Column("author", sa.String(64)),
    sa.Index("uq_entries_board_run", "board_id", "run_id", unique=True),
    sa.Index("ix_entries_board_created", "board_id", "created"),
)

# 0002: short links (?s=<code>) to a stored spec; one row per distinct spec
links = sa.Table(
    "links", metadata,
    sa.Column("code", sa.String(16), primary_key=True),
    sa.Column("spec_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("spec", sa.Text, nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("expires", sa.Float, nullable=False, index=True),
)

# 0002: per-exercise check counts of a board, no names
checks = sa.Table(
    "checks", metadata,
    sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("exercise", sa.String(64), primary_key=True),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("correct", sa.Integer, nullable=False),
)

# 0004: the lesson a board runs, the teacher's pace and spotlight (JSON), the lesson link's locks
classes = sa.Table(
    "classes", metadata,
    sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("lesson", sa.String(64), nullable=False),
    sa.Column("scenes", sa.Integer, nullable=False),
    sa.Column("scene", sa.Integer, nullable=False),
    sa.Column("paced", sa.Boolean, nullable=False),
    sa.Column("revealed", sa.Text, nullable=False),  # JSON list of scene indices
    sa.Column("spotlight", sa.Text),  # JSON object, NULL: nothing in the spotlight
    sa.Column("locks", sa.Text, nullable=False),  # comma-separated lockable paths
    sa.Column("started", sa.Float, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
)

# 0004: a student tab in the class (the board's author token): where it is, and its answer rate
class_students = sa.Table(
    "class_students", metadata,
    sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("author", sa.String(64), primary_key=True),
    sa.Column("nickname", sa.String(64), nullable=False),
    sa.Column("scene", sa.Integer, nullable=False),
    sa.Column("seen", sa.Float, nullable=False),
    sa.Column("rate_start", sa.Float, nullable=False),
    sa.Column("rate_count", sa.Integer, nullable=False),
    sa.Column("settings", sa.Text),  # the settings it shared for the spotlight (canonical spec JSON), or NULL
)

# 0004: one answer per student per scene
class_answers = sa.Table(
    "class_answers", metadata,
    sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("author", sa.String(64), primary_key=True),
    sa.Column("scene", sa.Integer, primary_key=True),
    sa.Column("value", sa.String(64), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
)
