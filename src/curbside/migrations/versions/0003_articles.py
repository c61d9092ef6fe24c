"""Articles: users, articles, versions (answer + evidence snapshot), review audit trail.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from curbside.migrations.columns import create_id_table, row_ref, timestamp

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_id_table(
        "users",
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("credentials", sa.Text, nullable=False),
        sa.Column("specialty", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        timestamp("created_at"),
    )
    create_id_table(
        "articles",
        sa.Column("slug", sa.String(200), nullable=False, unique=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("question_key", sa.String(64), nullable=False, index=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("thread_id", sa.String(100), nullable=True),
        sa.Column("views", sa.BigInteger, nullable=False),
        sa.Column("embedding_model", sa.String(120), nullable=False),
        sa.Column("question_vector", sa.LargeBinary, nullable=True),
        row_ref("created_by", "users.id", ondelete="SET NULL", nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
    )
    create_id_table(
        "article_versions",
        row_ref("article_id", "articles.id", ondelete="CASCADE", nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("state", sa.String(30), nullable=False, index=True),
        sa.Column("lock_version", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("provenance", sa.Text, nullable=False),
        row_ref("created_by", "users.id", ondelete="SET NULL", nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
        timestamp("approved_at", nullable=True),
        sa.UniqueConstraint("article_id", "audience", "number", name="uq_article_versions_number"),
    )
    op.create_index("ix_article_versions_article", "article_versions", ["article_id", "audience", "state"])
    create_id_table(
        "article_review_events",
        row_ref("article_id", "articles.id", ondelete="CASCADE", nullable=False, index=True),
        row_ref("version_id", "article_versions.id", ondelete="CASCADE", nullable=False, index=True),
        sa.Column("action", sa.String(40), nullable=False),
        row_ref("actor_id", "users.id", ondelete="SET NULL", nullable=True),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("actor_username", sa.String(64), nullable=False),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("actor_credentials", sa.Text, nullable=False),
        sa.Column("actor_specialty", sa.Text, nullable=False),
        sa.Column("from_state", sa.String(30), nullable=True),
        sa.Column("to_state", sa.String(30), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        timestamp("at"),
    )


def downgrade() -> None:
    for name in ("article_review_events", "article_versions", "articles", "users"):
        op.drop_table(name)
