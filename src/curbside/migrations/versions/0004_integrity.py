"""Integrity: server-side sessions and the knowledge-base outbox of approvals.

``user_sessions`` holds one row per signed-in session (the cookie carries a random token, the
table its sha256): logging out, a password change or a timeout deletes the row, and the cookie
stops working. ``kb_outbox`` records, in the same transaction as an approval or retraction, that
the article's board-reviewed sources must be brought in line; it is applied idempotently after
the transition and again at start-up.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from curbside.migrations.columns import create_id_table, row_ref, timestamp

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        row_ref("user_id", "users.id", ondelete="CASCADE", nullable=False, index=True),
        sa.Column("role", sa.String(20), nullable=False),
        timestamp("created_at"),
        timestamp("last_seen_at"),
    )
    create_id_table(
        "kb_outbox",
        row_ref("article_id", "articles.id", ondelete="CASCADE", nullable=False, index=True),
        timestamp("created_at"),
        timestamp("applied_at", nullable=True, index=True),
    )


def downgrade() -> None:
    op.drop_table("kb_outbox")
    op.drop_table("user_sessions")
