"""Knowledge base: sources, passages, embeddings, tombstones, index state.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from curbside.migrations.columns import id_column, row_ref, timestamp

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_sources",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False, index=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("publisher", sa.Text, nullable=False),
        sa.Column("year", sa.Integer, nullable=True, index=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("collection", sa.String(60), nullable=False, index=True),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("evidence_level", sa.String(40), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        timestamp("updated_at", server_default=sa.func.now()),
    )
    op.create_table(
        "kb_passages",
        id_column("pk"),
        sa.Column("id", sa.String(220), nullable=False, unique=True),
        sa.Column("source_id", sa.String(200), sa.ForeignKey("kb_sources.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("headings", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("chunker", sa.String(40), nullable=False),
        sqlite_autoincrement=True,  # keys are never reused: the indexes and tombstones rely on it
    )
    op.create_index("ix_kb_passages_source", "kb_passages", ["source_id", "position"])
    op.create_table(
        "kb_embeddings",
        row_ref("passage_pk", "kb_passages.pk", ondelete="CASCADE", primary_key=True),
        sa.Column("model", sa.String(120), primary_key=True),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "kb_tombstones",
        id_column("seq"),
        sa.Column("passage_pk", sa.BigInteger, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "kb_index_state",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("passage_watermark", sa.BigInteger, nullable=False),
        sa.Column("tombstone_watermark", sa.BigInteger, nullable=False),
        sa.Column("built_with", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for name in ("kb_index_state", "kb_tombstones", "kb_embeddings", "kb_passages", "kb_sources"):
        op.drop_table(name)
