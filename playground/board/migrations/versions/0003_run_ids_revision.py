"""One entry per finished run, the publisher's rate, and a revision number the live view watches.

entries.run_id: the run's identity, unique per board (a replayed Publish finds the entry already there);
entries.author: an opaque token of the tab that published (the per-student rate counts it with the nickname);
boards.revision: raised by every change of a board's entries or settings (watchers re-read only then).

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the columns in place; a unique INDEX (not a constraint) needs no table copy on SQLite."""
    op.add_column("entries", sa.Column("run_id", sa.String(64)))  # NULL for entries published before: distinct
    op.add_column("entries", sa.Column("author", sa.String(64)))
    op.create_index("uq_entries_board_run", "entries", ["board_id", "run_id"], unique=True)
    op.create_index("ix_entries_board_created", "entries", ["board_id", "created"])
    op.add_column("boards", sa.Column("revision", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    """Drop what upgrade added (SQLite drops columns through a table copy: batch mode)."""
    op.drop_index("ix_entries_board_created", "entries")
    op.drop_index("uq_entries_board_run", "entries")
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("author")
        batch.drop_column("run_id")
    with op.batch_alter_table("boards") as batch:
        batch.drop_column("revision")
