"""Accounts tables: users and their server-side sessions.

Declared on the shared metadata; migration ``0003_articles`` creates ``users`` (with the articles
tables, which name their authors and reviewers by ``users.id``), ``0004_integrity`` creates
``user_sessions``. Timestamps are written by Python in UTC (SQLite keeps no time zone, so reads
re-attach it).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, String, Table, Text

from curbside.db import id_table, metadata, row_ref, timestamp

users = id_table(
    "users",
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("display_name", Text, nullable=False, default=""),
    Column("role", String(20), nullable=False),
    Column("credentials", Text, nullable=False, default=""),
    Column("specialty", Text, nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    timestamp("created_at"),
)

sessions = Table(
    "user_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),  # sha256 of the token kept in the cookie
    row_ref("user_id", "users.id", ondelete="CASCADE", nullable=False, index=True),
    Column("role", String(20), nullable=False),  # the role signed in with (privilege changes rotate)
    timestamp("created_at"),
    timestamp("last_seen_at"),
)
