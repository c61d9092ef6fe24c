"""Consult board: consults, replies, moderation events.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from curbside.migrations.columns import create_id_table, row_ref, timestamp

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_id_table(
        "consults",
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("question_original", sa.Text, nullable=True),
        sa.Column("age_band", sa.String(10), nullable=False),
        sa.Column("sex", sa.String(20), nullable=False),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("asked_on", sa.Date, nullable=False),
        sa.Column("consent", sa.Boolean, nullable=False),
        sa.Column("state", sa.String(30), nullable=False, index=True),
        sa.Column("topics", sa.Text, nullable=False),
        sa.Column("more_info", sa.Text, nullable=True),
        sa.Column("more_info_state", sa.String(20), nullable=False),
        sa.Column("more_info_note", sa.Text, nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
    )
    create_id_table(
        "consult_replies",
        row_ref("consult_id", "consults.id", ondelete="CASCADE", nullable=False, index=True),
        row_ref("doctor_id", "users.id", ondelete="SET NULL", nullable=True),
        sa.Column("doctor", sa.Text, nullable=False),
        sa.Column("credentials", sa.Text, nullable=False),
        sa.Column("specialty", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("text_original", sa.Text, nullable=True),
        sa.Column("replied_on", sa.Date, nullable=False),
        timestamp("created_at"),
    )
    create_id_table(
        "consult_events",
        row_ref("consult_id", "consults.id", ondelete="CASCADE", nullable=False, index=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("from_state", sa.String(30), nullable=True),
        sa.Column("to_state", sa.String(30), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        timestamp("at"),
    )


def downgrade() -> None:
    for name in ("consult_events", "consult_replies", "consults"):
        op.drop_table(name)
