"""Consult board: consults, replies, moderation events.

Revision ID: 0005
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "consults",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "consult_replies",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("consult_id", _ID, sa.ForeignKey("consults.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("doctor_id", _ID, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("doctor", sa.Text, nullable=False),
        sa.Column("credentials", sa.Text, nullable=False),
        sa.Column("specialty", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("text_original", sa.Text, nullable=True),
        sa.Column("replied_on", sa.Date, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "consult_events",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("consult_id", _ID, sa.ForeignKey("consults.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("from_state", sa.String(30), nullable=True),
        sa.Column("to_state", sa.String(30), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for name in ("consult_events", "consult_replies", "consults"):
        op.drop_table(name)
