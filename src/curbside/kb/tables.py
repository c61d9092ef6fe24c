"""Knowledge-base tables: sources, passages, embeddings, tombstones and index state."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, LargeBinary, String, Table, Text, func

from curbside.db import id_column, metadata, row_ref, timestamp

sources = Table(
    "kb_sources",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("kind", String(40), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("publisher", Text, nullable=False, default=""),
    Column("year", Integer, nullable=True, index=True),
    Column("url", Text, nullable=False, default=""),
    Column("collection", String(60), nullable=False, default="", index=True),
    Column("audience", String(20), nullable=False, default="both"),
    Column("evidence_level", String(40), nullable=False, default="unknown"),
    Column("data", Text, nullable=False),  # the full Source as JSON
    Column("content_hash", String(64), nullable=False),
    Column("origin", Text, nullable=False, default=""),
    timestamp("updated_at", server_default=func.now()),
)

passages = Table(
    "kb_passages",
    metadata,
    # The integer key is what the indexes store; it only ever grows (changed sources get new rows).
    id_column("pk"),
    Column("id", String(220), nullable=False, unique=True),
    Column("source_id", String(200), ForeignKey("kb_sources.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("headings", Text, nullable=False, default="[]"),  # JSON list
    Column("text", Text, nullable=False),
    Column("section_type", String(40), nullable=True),  # domain.InfoType: what the passage's section gives
    Column("chunker", String(40), nullable=False),
    Index("ix_kb_passages_source", "source_id", "position"),
    sqlite_autoincrement=True,  # keys are never reused: the indexes and tombstones rely on it
)

embeddings = Table(
    "kb_embeddings",
    metadata,
    row_ref("passage_pk", "kb_passages.pk", ondelete="CASCADE", primary_key=True),
    Column("model", String(120), primary_key=True),
    Column("vector", LargeBinary, nullable=False),  # float16, little-endian
)

tombstones = Table(
    "kb_tombstones",
    metadata,
    id_column("seq"),
    Column("passage_pk", BigInteger, nullable=False),
    sqlite_autoincrement=True,
)

index_state = Table(
    "kb_index_state",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("passage_watermark", BigInteger, nullable=False, default=0),
    Column("tombstone_watermark", BigInteger, nullable=False, default=0),
    Column("built_with", Text, nullable=False, default="{}"),
)
