"""Conversation threads: each turn's question and what it was about, so a follow-up can be resolved.

Kept in the tables of ``tables.py``. A thread id is a short random hex string printed by
``curbside ask``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from curbside.answer.base import Entities, QuestionAnalysis
from curbside.answer.threads.tables import threads, turns
from curbside.answer.understand.analysis import PriorTurn
from curbside.db import get_engine
from curbside.domain import Answer, Intent
from curbside.errors import InputError, NotFoundError


@dataclass(frozen=True)
class Turn:
    thread_id: str
    position: int
    question: str
    intent: Intent
    topic: str
    entities: Entities
    retrieval_query: str
    title: str
    answer: Answer | None

    def as_prior(self) -> PriorTurn:
        return PriorTurn(self.question, self.intent, self.topic, self.entities)


def new_thread_id() -> str:
    return uuid.uuid4().hex[:12]


class ThreadStore:
    """Threads in the curbside database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine | str) -> None:
        self.engine = get_engine(engine) if isinstance(engine, str) else engine

    def create(self, audience: str) -> str:
        thread_id = new_thread_id()
        with self.engine.begin() as conn:
            conn.execute(insert(threads).values(id=thread_id, audience=audience))
        return thread_id

    def exists(self, thread_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(threads.c.id).where(threads.c.id == thread_id)).first() is not None

    def require(self, thread_id: str) -> None:
        if not thread_id or len(thread_id) > 40:
            raise InputError("A thread id is the short code printed by `curbside ask` (up to 40 characters).")
        if not self.exists(thread_id):
            raise NotFoundError(f"No thread {thread_id!r}; start a new one by asking without --thread.")

    def add_turn(self, thread_id: str, analysis: QuestionAnalysis, answer: Answer | None = None) -> int:
        """Append a turn; returns its position (0 for the first)."""
        values = dict(
            thread_id=thread_id, question=analysis.question, intent=analysis.intent.value, topic=analysis.topic,
            entities=analysis.entities.model_dump_json(), retrieval_query=analysis.retrieval_query,
            title=analysis.title, answer=answer.model_dump_json() if answer is not None else None,
        )
        for _attempt in range(3):  # two writers at once: the loser takes the next position
            try:
                with self.engine.begin() as conn:
                    top = conn.execute(select(func.max(turns.c.position)).where(turns.c.thread_id == thread_id)).scalar()
                    position = 0 if top is None else int(top) + 1
                    conn.execute(insert(turns).values(position=position, **values))
                    conn.execute(update(threads).where(threads.c.id == thread_id)
                                 .values(updated_at=datetime.now(UTC)))
                return position
            except IntegrityError:
                continue
        raise InputError(f"Could not add to thread {thread_id!r}: too many simultaneous writers; try again.")

    def turns(self, thread_id: str) -> list[Turn]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(turns).where(turns.c.thread_id == thread_id)
                                .order_by(turns.c.position)).mappings().all()
        return [Turn(thread_id=r["thread_id"], position=r["position"], question=r["question"],
                     intent=Intent(r["intent"]), topic=r["topic"],
                     entities=Entities.model_validate(json.loads(r["entities"])),
                     retrieval_query=r["retrieval_query"], title=r["title"],
                     answer=Answer.model_validate_json(r["answer"]) if r["answer"] else None)
                for r in rows]

    def last_turn(self, thread_id: str) -> Turn | None:
        found = self.turns(thread_id)
        return found[-1] if found else None
