"""Articles tables: users, articles, their versions and the review audit trail.

Declared on the shared metadata; migration ``0003_articles`` creates them. Timestamps are written
by Python in UTC (SQLite keeps no time zone, so reads re-attach it).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from curbside.db import metadata

_ID = BigInteger().with_variant(Integer, "sqlite")

users = Table(
    "users",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("display_name", Text, nullable=False, default=""),
    Column("role", String(20), nullable=False),
    Column("credentials", Text, nullable=False, default=""),
    Column("specialty", Text, nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
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
    Column("created_by", _ID, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

versions = Table(
    "article_versions",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("article_id", _ID, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("audience", String(20), nullable=False),
    Column("number", Integer, nullable=False),
    Column("state", String(30), nullable=False, index=True),
    Column("lock_version", Integer, nullable=False, default=1),
    Column("title", Text, nullable=False, default=""),
    Column("answer", Text, nullable=False),  # the full Answer as JSON
    Column("evidence", Text, nullable=False),  # the SearchHit list as JSON
    Column("provenance", Text, nullable=False),  # VersionProvenance as JSON
    Column("created_by", _ID, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("approved_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("article_id", "audience", "number", name="uq_article_versions_number"),
    Index("ix_article_versions_article", "article_id", "audience", "state"),
)

review_events = Table(
    "article_review_events",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column(
        "article_id", _ID, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column(
        "version_id",
        _ID,
        ForeignKey("article_versions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("action", String(40), nullable=False),
    Column("actor_id", _ID, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("actor", Text, nullable=False),  # display name (kept even if the user is removed)
    Column("actor_username", String(64), nullable=False, default=""),
    Column("actor_role", String(20), nullable=False, default=""),
    Column("actor_credentials", Text, nullable=False, default=""),
    Column("actor_specialty", Text, nullable=False, default=""),
    Column("from_state", String(30), nullable=True),
    Column("to_state", String(30), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("at", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "user_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),  # sha256 of the token kept in the cookie
    Column(
        "user_id", _ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("role", String(20), nullable=False),  # the role signed in with (privilege changes rotate)
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
)

kb_outbox = Table(
    "kb_outbox",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column(
        "article_id", _ID, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=True, index=True),
)
