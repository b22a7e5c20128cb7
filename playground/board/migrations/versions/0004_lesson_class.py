"""A board runs a lesson: its pace and scene (classes), who is where (class_students), their answers (class_answers).

classes: one row per board that ran a lesson: the lesson id, its number of scenes, the teacher's scene, paced or
self-paced, the revealed scenes and the spotlight (JSON), the lesson link's locks, and a revision raised by every
change of the class (pace, answers, presence), which students' pages poll.
class_students: one row per student tab (the board's author token): nickname, the scene it last showed and when,
and its answer rate window.
class_answers: one answer per student per scene (an upsert replaces it).

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Three new tables; nothing existing changes."""
    op.create_table(
        "classes",
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("lesson", sa.String(64), nullable=False),
        sa.Column("scenes", sa.Integer, nullable=False),
        sa.Column("scene", sa.Integer, nullable=False),
        sa.Column("paced", sa.Boolean, nullable=False),
        sa.Column("revealed", sa.Text, nullable=False),
        sa.Column("spotlight", sa.Text),
        sa.Column("locks", sa.Text, nullable=False),
        sa.Column("started", sa.Float, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "class_students",
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("author", sa.String(64), primary_key=True),
        sa.Column("nickname", sa.String(64), nullable=False),
        sa.Column("scene", sa.Integer, nullable=False),
        sa.Column("seen", sa.Float, nullable=False),
        sa.Column("rate_start", sa.Float, nullable=False),
        sa.Column("rate_count", sa.Integer, nullable=False),
        sa.Column("settings", sa.Text),
    )
    op.create_table(
        "class_answers",
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("author", sa.String(64), primary_key=True),
        sa.Column("scene", sa.Integer, primary_key=True),
        sa.Column("value", sa.String(64), nullable=False),
        sa.Column("created", sa.Float, nullable=False),
    )


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_table("class_answers")
    op.drop_table("class_students")
    op.drop_table("classes")
