"""Answer threads: follow-up questions resolved against the previous turn.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from curbside.migrations.columns import timestamp

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answer_threads",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("audience", sa.String(20), nullable=False),
        timestamp("created_at", server_default=sa.func.now()),
        timestamp("updated_at", server_default=sa.func.now()),
    )
    op.create_table(
        "answer_turns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("thread_id", sa.String(40), sa.ForeignKey("answer_threads.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("intent", sa.String(40), nullable=False),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("entities", sa.Text, nullable=False),
        sa.Column("retrieval_query", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=True),
        timestamp("created_at", server_default=sa.func.now()),
        sa.UniqueConstraint("thread_id", "position", name="uq_answer_turns_position"),
    )


def downgrade() -> None:
    op.drop_table("answer_turns")
    op.drop_table("answer_threads")
