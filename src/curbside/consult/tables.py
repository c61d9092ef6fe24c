"""Consult board tables: consults, their replies and the moderation audit trail.

Declared on the shared metadata; migration ``0005_consults`` creates them. ``question`` and reply
``text`` hold de-identified text only; ``*_original`` columns are filled only when
``consult.keep_original`` is on and are never read by a page, the API or an LLM.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Index, String, Text

from curbside.db import id_table, row_ref, timestamp

consults = id_table(
    "consults",
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
    #: An imported consult's key (the archive's id, else a hash of its content): a re-run skips it.
    Column("import_key", String(64), nullable=True, unique=False, index=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    Index("ix_consults_import_key", "import_key", unique=True),
)

consult_replies = id_table(
    "consult_replies",
    row_ref("consult_id", "consults.id", ondelete="CASCADE", nullable=False, index=True),
    row_ref("doctor_id", "users.id", ondelete="SET NULL", nullable=True),
    Column("doctor", Text, nullable=False),
    Column("credentials", Text, nullable=False),
    Column("specialty", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("text_original", Text, nullable=True),
    Column("replied_on", Date, nullable=False),
    timestamp("created_at"),
)

consult_events = id_table(
    "consult_events",
    row_ref("consult_id", "consults.id", ondelete="CASCADE", nullable=False, index=True),
    Column("action", String(40), nullable=False),
    Column("actor", Text, nullable=False),
    Column("from_state", String(30), nullable=True),
    Column("to_state", String(30), nullable=False),
    Column("comment", Text, nullable=False),
    timestamp("at"),
)
