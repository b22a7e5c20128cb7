"""Short links to stored specs, per-exercise check counts, and the teacher's challenge rule on boards.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add links and checks; add the (nullable) challenge columns to existing boards."""
    op.create_table(
        "links",
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("spec_hash", sa.String(64), nullable=False),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("expires", sa.Float, nullable=False),
        sa.UniqueConstraint("spec_hash", name="uq_links_spec_hash"),
    )
    op.create_index("ix_links_expires", "links", ["expires"])
    op.create_table(
        "checks",
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE", name="fk_checks_board"),
                  primary_key=True),
        sa.Column("exercise", sa.String(64), primary_key=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("correct", sa.Integer, nullable=False),
    )
    # Plain ADD COLUMN (nullable, no default) works in place on SQLite and PostgreSQL: no table copy.
    op.add_column("boards", sa.Column("challenge_max_params", sa.BigInteger))
    op.add_column("boards", sa.Column("challenge_dataset", sa.String(16)))
    op.add_column("boards", sa.Column("challenge_max_epochs", sa.Integer))


def downgrade() -> None:
    """Drop what upgrade added (SQLite drops columns through a table copy: batch mode)."""
    with op.batch_alter_table("boards") as batch:
        for name in ("challenge_max_epochs", "challenge_dataset", "challenge_max_params"):
            batch.drop_column(name)
    op.drop_table("checks")
    op.drop_table("links")
