"""Articles tables: articles, their versions, the review audit trail and the knowledge-base outbox.

Declared on the shared metadata; migration ``0003_articles`` creates them (``kb_outbox``:
``0004_integrity``). Authors and reviewers are named by ``users.id`` (``accounts/tables.py``).
Timestamps are written by Python in UTC (SQLite keeps no time zone, so reads re-attach it).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)

from curbside.db import id_table, row_ref, timestamp

articles = id_table(
    "articles",
    Column("slug", String(200), nullable=False, unique=True),
    Column("question", Text, nullable=False),
    Column(
        "question_key", String(64), nullable=False, index=True
    ),  # sha256 of the normalised question
    Column("title", Text, nullable=False, default=""),
    Column("audience", String(20), nullable=False),  # the audience it was first asked for
    Column("thread_id", String(100), nullable=True),
    Column("views", BigInteger, nullable=False, default=0),
    Column("embedding_model", String(120), nullable=False, default=""),
    Column(
        "question_vector", LargeBinary, nullable=True
    ),  # float16, for near-duplicates and related
    row_ref("created_by", "users.id", ondelete="SET NULL", nullable=True),
    timestamp("created_at"),
    timestamp("updated_at"),
)

versions = id_table(
    "article_versions",
    row_ref("article_id", "articles.id", ondelete="CASCADE", nullable=False),
    Column("audience", String(20), nullable=False),
    Column("number", Integer, nullable=False),
    Column("state", String(30), nullable=False, index=True),
    Column("lock_version", Integer, nullable=False, default=1),
    Column("title", Text, nullable=False, default=""),
    Column("answer", Text, nullable=False),  # the full Answer as JSON
    Column("evidence", Text, nullable=False),  # the SearchHit list as JSON
    Column("provenance", Text, nullable=False),  # VersionProvenance as JSON
    row_ref("created_by", "users.id", ondelete="SET NULL", nullable=True),
    timestamp("created_at"),
    timestamp("updated_at"),
    timestamp("approved_at", nullable=True),
    UniqueConstraint("article_id", "audience", "number", name="uq_article_versions_number"),
    Index("ix_article_versions_article", "article_id", "audience", "state"),
)

review_events = id_table(
    "article_review_events",
    row_ref("article_id", "articles.id", ondelete="CASCADE", nullable=False, index=True),
    row_ref("version_id", "article_versions.id", ondelete="CASCADE", nullable=False, index=True),
    Column("action", String(40), nullable=False),
    row_ref("actor_id", "users.id", ondelete="SET NULL", nullable=True),
    Column("actor", Text, nullable=False),  # display name (kept even if the user is removed)
    Column("actor_username", String(64), nullable=False, default=""),
    Column("actor_role", String(20), nullable=False, default=""),
    Column("actor_credentials", Text, nullable=False, default=""),
    Column("actor_specialty", Text, nullable=False, default=""),
    Column("from_state", String(30), nullable=True),
    Column("to_state", String(30), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    timestamp("at"),
)

kb_outbox = id_table(
    "kb_outbox",
    row_ref("article_id", "articles.id", ondelete="CASCADE", nullable=False, index=True),
    timestamp("created_at"),
    timestamp("applied_at", nullable=True, index=True),
)
