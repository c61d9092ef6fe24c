"""Consult board tables: consults, their replies and the moderation audit trail.

Declared on the shared metadata; migration ``0005_consults`` creates them. ``question`` and reply
``text`` hold de-identified text only; ``*_original`` columns are filled only when
``consult.keep_original`` is on and are never read by a page, the API or an LLM.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, ForeignKey, Integer, String, Table, Text

from curbside.db import metadata

_ID = BigInteger().with_variant(Integer, "sqlite")

consults = Table(
    "consults",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("question", Text, nullable=False),
    Column("question_original", Text, nullable=True),
    Column("age_band", String(10), nullable=False),
    Column("sex", String(20), nullable=False),
    Column("display_name", Text, nullable=False),
    Column("asked_on", Date, nullable=False),
    Column("consent", Boolean, nullable=False),
    Column("state", String(30), nullable=False, index=True),
    Column("topics", Text, nullable=False),  # JSON list
    Column("more_info", Text, nullable=True),  # the Answer as JSON
    Column("more_info_state", String(20), nullable=False),
    Column("more_info_note", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

consult_replies = Table(
    "consult_replies",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("consult_id", _ID, ForeignKey("consults.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("doctor_id", _ID, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("doctor", Text, nullable=False),
    Column("credentials", Text, nullable=False),
    Column("specialty", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("text_original", Text, nullable=True),
    Column("replied_on", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

consult_events = Table(
    "consult_events",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("consult_id", _ID, ForeignKey("consults.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("action", String(40), nullable=False),
    Column("actor", Text, nullable=False),
    Column("from_state", String(30), nullable=True),
    Column("to_state", String(30), nullable=False),
    Column("comment", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
