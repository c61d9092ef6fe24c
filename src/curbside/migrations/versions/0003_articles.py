"""Articles: users, articles, versions (answer + evidence snapshot), review audit trail.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("credentials", sa.Text, nullable=False),
        sa.Column("specialty", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "articles",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("slug", sa.String(200), nullable=False, unique=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("question_key", sa.String(64), nullable=False, index=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("thread_id", sa.String(100), nullable=True),
        sa.Column("views", sa.BigInteger, nullable=False),
        sa.Column("embedding_model", sa.String(120), nullable=False),
        sa.Column("question_vector", sa.LargeBinary, nullable=True),
        sa.Column("created_by", _ID, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "article_versions",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("article_id", _ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("state", sa.String(30), nullable=False, index=True),
        sa.Column("lock_version", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("provenance", sa.Text, nullable=False),
        sa.Column("created_by", _ID, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("article_id", "audience", "number", name="uq_article_versions_number"),
    )
    op.create_index("ix_article_versions_article", "article_versions", ["article_id", "audience", "state"])
    op.create_table(
        "article_review_events",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("article_id", _ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("version_id", _ID, sa.ForeignKey("article_versions.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("actor_id", _ID, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("actor_username", sa.String(64), nullable=False),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("actor_credentials", sa.Text, nullable=False),
        sa.Column("actor_specialty", sa.Text, nullable=False),
        sa.Column("from_state", sa.String(30), nullable=True),
        sa.Column("to_state", sa.String(30), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for name in ("article_review_events", "article_versions", "articles", "users"):
        op.drop_table(name)
