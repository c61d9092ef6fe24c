"""Tables ``answer_threads`` and ``answer_turns`` (SQLAlchemy Core, on the shared metadata; created by
migration 0002): a conversation and its turns, read and written by ``store.py``.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint, func

from curbside.db import metadata

threads = Table(
    "answer_threads",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("audience", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    Column("updated_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)

turns = Table(
    "answer_turns",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("thread_id", String(40), ForeignKey("answer_threads.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("question", Text, nullable=False),
    Column("intent", String(40), nullable=False),
    Column("topic", Text, nullable=False),
    Column("entities", Text, nullable=False),  # JSON of curbside.answer.base.Entities
    Column("retrieval_query", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("answer", Text, nullable=True),  # the Answer as JSON
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    UniqueConstraint("thread_id", "position", name="uq_answer_turns_position"),
)
