"""SQL access for consults: rows in, :mod:`curbside.consult.models` out. No rules live here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.engine import Engine

from curbside.consult.models import Consult, ConsultState, MoreInfoState, Reply
from curbside.consult.tables import consult_events, consult_replies, consults
from curbside.domain import Answer
from curbside.errors import ConflictError, NotFoundError


def _now() -> datetime:
    return datetime.now(UTC)


def _reply(row: Any) -> Reply:
    return Reply(id=int(row.id), doctor=row.doctor, credentials=row.credentials, specialty=row.specialty,
                 text=row.text, replied_on=row.replied_on)


@dataclass(frozen=True)
class ImportItem:
    """One validated, de-identified consult of an import, with its replies (and originals)."""

    key: str
    consult: Consult
    original: str | None
    replies: list[tuple[Reply, str | None]]
    more_info_state: MoreInfoState


class ConsultStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, consult: Consult, *, original: str | None = None) -> int:
        now = _now()
        with self.engine.begin() as conn:
            new_id = conn.execute(insert(consults).values(
                title=consult.title, question=consult.question, question_original=original,
                age_band=consult.age_band, sex=consult.sex, display_name=consult.display_name,
                asked_on=consult.asked_on, consent=consult.consent, state=consult.state.value,
                topics=json.dumps(consult.topics), more_info=None, more_info_state=MoreInfoState.NONE.value,
                more_info_note="", created_at=now, updated_at=now,
            ).returning(consults.c.id)).scalar_one()
        return int(new_id)

    def import_many(self, items: Sequence[ImportItem]) -> list[int]:
        """Insert imported consults with their replies and audit events in one transaction; a
        consult whose ``key`` is already stored is skipped (a re-run adds nothing). New ids."""
        created: list[int] = []
        now = _now()
        keys = [item.key for item in items]
        with self.engine.begin() as conn:
            known = set(conn.execute(select(consults.c.import_key).where(
                consults.c.import_key.in_(keys))).scalars()) if keys else set()
            for item in items:
                if item.key in known:
                    continue
                known.add(item.key)
                consult = item.consult
                new_id = int(conn.execute(insert(consults).values(
                    title=consult.title, question=consult.question, question_original=item.original,
                    age_band=consult.age_band, sex=consult.sex, display_name=consult.display_name,
                    asked_on=consult.asked_on, consent=consult.consent, state=consult.state.value,
                    topics=json.dumps(consult.topics), more_info=None,
                    more_info_state=item.more_info_state.value, more_info_note="", import_key=item.key,
                    created_at=now, updated_at=now,
                ).returning(consults.c.id)).scalar_one())
                for reply, original in item.replies:
                    conn.execute(insert(consult_replies).values(
                        consult_id=new_id, doctor_id=None, doctor=reply.doctor, credentials=reply.credentials,
                        specialty=reply.specialty, text=reply.text, text_original=original,
                        replied_on=reply.replied_on, created_at=now))
                conn.execute(insert(consult_events).values(
                    consult_id=new_id, action="import", actor="import", from_state=None,
                    to_state=consult.state.value, comment="", at=now))
                created.append(new_id)
        return created

    def add_reply(self, consult_id: int, reply: Reply, *, doctor_id: int | None = None,
                  original: str | None = None) -> int:
        with self.engine.begin() as conn:
            new_id = conn.execute(insert(consult_replies).values(
                consult_id=consult_id, doctor_id=doctor_id, doctor=reply.doctor, credentials=reply.credentials,
                specialty=reply.specialty, text=reply.text, text_original=original, replied_on=reply.replied_on,
                created_at=_now(),
            ).returning(consult_replies.c.id)).scalar_one()
        return int(new_id)

    def set_state(self, consult_id: int, state: ConsultState, *, action: str, actor: str, comment: str = "",
                  expected: ConsultState | None = None) -> None:
        """Move a consult to ``state`` and append the audit event, in one transaction; with ``expected``,
        only from that state (someone else acting first is a ConflictError, not a lost update)."""
        with self.engine.begin() as conn:
            before = conn.execute(select(consults.c.state).where(consults.c.id == consult_id)).scalar_one_or_none()
            if before is None:
                raise NotFoundError(f"No consult {consult_id}.")
            query = update(consults).where(consults.c.id == consult_id)
            if expected is not None:
                query = query.where(consults.c.state == expected.value)
            moved = conn.execute(query.values(state=state.value, updated_at=_now())).rowcount
            if expected is not None and moved == 0:
                raise ConflictError(f"Consult {consult_id} is {before} now, not {expected.value}: someone acted "
                                    "first. Reload and try again.", details={"state": before})
            conn.execute(insert(consult_events).values(consult_id=consult_id, action=action, actor=actor,
                                                       from_state=before, to_state=state.value, comment=comment,
                                                       at=_now()))

    def set_more_info(self, consult_id: int, answer: Answer | None, state: MoreInfoState, note: str = "") -> None:
        with self.engine.begin() as conn:
            conn.execute(update(consults).where(consults.c.id == consult_id).values(
                more_info=answer.model_dump_json() if answer is not None else None,
                more_info_state=state.value, more_info_note=note, updated_at=_now()))

    def set_topics(self, consult_id: int, topics: list[str]) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(consults).where(consults.c.id == consult_id).values(topics=json.dumps(topics)))

    def get(self, consult_id: int) -> Consult:
        with self.engine.connect() as conn:
            row = conn.execute(select(consults).where(consults.c.id == consult_id)).first()
            if row is None:
                raise NotFoundError(f"No consult {consult_id}; `curbside consult list` shows the consults.")
            replies = conn.execute(select(consult_replies).where(consult_replies.c.consult_id == consult_id)
                                   .order_by(consult_replies.c.replied_on, consult_replies.c.id)).all()
        return self._consult(row, [_reply(r) for r in replies])

    def more_info(self, consult_id: int) -> Answer | None:
        with self.engine.connect() as conn:
            raw = conn.execute(select(consults.c.more_info).where(consults.c.id == consult_id)).scalar_one_or_none()
        return Answer.model_validate_json(raw) if raw else None

    def find(self, states: list[ConsultState] | None = None, limit: int = 100, offset: int = 0) -> list[Consult]:
        query = select(consults).order_by(consults.c.asked_on.desc(), consults.c.id.desc()).limit(limit).offset(offset)
        if states:
            query = query.where(consults.c.state.in_([s.value for s in states]))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            ids = [int(r.id) for r in rows]
            replies: dict[int, list[Reply]] = {i: [] for i in ids}
            if ids:
                for r in conn.execute(select(consult_replies).where(consult_replies.c.consult_id.in_(ids))
                                      .order_by(consult_replies.c.replied_on, consult_replies.c.id)):
                    replies[int(r.consult_id)].append(_reply(r))
        return [self._consult(r, replies[int(r.id)]) for r in rows]

    def topic_specialties(self, topics: Sequence[str]) -> list[tuple[list[str], str]]:
        """(topics, replying specialty) for each reply to a published consult naming one of ``topics``
        (case-insensitive), newest consult first: only those rows are read, not every consult."""
        if not topics:
            return []

        def pattern(topic: str) -> str:  # the topic as it is stored inside the JSON list
            token = json.dumps(topic).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            return f"%{token}%"

        query = (select(consults.c.topics, consult_replies.c.specialty)
                 .join(consult_replies, consult_replies.c.consult_id == consults.c.id)
                 .where(consults.c.state == ConsultState.PUBLISHED.value, consult_replies.c.specialty != "",
                        or_(*(consults.c.topics.ilike(pattern(t), escape="\\") for t in topics)))
                 .order_by(consults.c.asked_on.desc(), consults.c.id.desc(), consult_replies.c.replied_on,
                           consult_replies.c.id))
        with self.engine.connect() as conn:
            return [(json.loads(r.topics or "[]"), str(r.specialty)) for r in conn.execute(query)]

    def count(self, state: ConsultState) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(consults)
                                    .where(consults.c.state == state.value)).scalar_one())

    def pending_more_info(self) -> list[int]:
        """Published consults whose publication (knowledge base, More Info) is queued."""
        with self.engine.connect() as conn:
            ids = conn.execute(select(consults.c.id).where(
                consults.c.more_info_state == MoreInfoState.PENDING.value,
                consults.c.state == ConsultState.PUBLISHED.value).order_by(consults.c.id)).scalars().all()
        return [int(i) for i in ids]

    def held_more_info(self) -> list[Consult]:
        with self.engine.connect() as conn:
            ids = conn.execute(select(consults.c.id).where(
                consults.c.more_info_state == MoreInfoState.HELD.value)).scalars().all()
        return [self.get(int(i)) for i in ids]

    def events(self, consult_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(consult_events).where(consult_events.c.consult_id == consult_id)
                                .order_by(consult_events.c.id)).all()
        return [{"action": r.action, "actor": r.actor, "from_state": r.from_state, "to_state": r.to_state,
                 "comment": r.comment, "at": r.at} for r in rows]

    def originals(self, consult_id: int) -> tuple[str | None, list[str | None]]:
        """The stored originals (only when ``consult.keep_original`` was on): for the clinic, never shown."""
        with self.engine.connect() as conn:
            question = conn.execute(select(consults.c.question_original)
                                    .where(consults.c.id == consult_id)).scalar_one_or_none()
            replies = conn.execute(select(consult_replies.c.text_original)
                                   .where(consult_replies.c.consult_id == consult_id)
                                   .order_by(consult_replies.c.id)).scalars().all()
        return question, list(replies)

    @staticmethod
    def _consult(row: Any, replies: list[Reply]) -> Consult:
        asked: date = row.asked_on
        return Consult(id=int(row.id), title=row.title, question=row.question, age_band=row.age_band, sex=row.sex,
                       display_name=row.display_name, asked_on=asked, consent=bool(row.consent),
                       state=ConsultState(row.state), replies=replies, topics=json.loads(row.topics or "[]"),
                       more_info_state=MoreInfoState(row.more_info_state), more_info_note=row.more_info_note,
                       created_at=row.created_at)
