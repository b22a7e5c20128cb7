"""The first board schema: boards (code, teacher-key hash, lesson, expiry) and their published entries.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create boards and entries."""
    op.create_table(
        "boards",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("lesson", sa.String(40), nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("expires", sa.Float, nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False),
        sa.UniqueConstraint("code", name="uq_boards_code"),
    )
    op.create_index("ix_boards_expires", "boards", ["expires"])
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE", name="fk_entries_board"),
                  nullable=False),
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
    )
    op.create_index("ix_entries_board_id", "entries", ["board_id"])


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("entries")
    op.drop_table("boards")
