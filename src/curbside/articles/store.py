"""SQL access for articles, versions and the review audit trail (SQLAlchemy Core).

Concurrency: every state change is one transaction whose UPDATE carries
``WHERE lock_version = :expected``; when another reviewer acted first, no row matches and the
caller gets a ConflictError — nothing is overwritten. Version numbers and slugs are protected by
unique constraints, so racing writers fail cleanly instead of duplicating.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from curbside.accounts.models import User
from curbside.articles import workflow
from curbside.articles.approvals import approval_target, approvals_since_review_started
from curbside.articles.dedupe import StoredQuestion, question_key
from curbside.articles.models import ArticleVersion, ReviewEvent, ReviewState
from curbside.articles.models import VersionProvenance as Provenance
from curbside.articles.outbox import enqueue_sync
from curbside.articles.tables import articles, review_events, versions
from curbside.domain import Answer, Audience, SearchHit
from curbside.errors import ConflictError, NotFoundError
from curbside.times import as_utc

_HITS = TypeAdapter(list[SearchHit])
_SLUG_WORDS = re.compile(r"[a-z0-9]+")
MAX_SLUG = 80
S = ReviewState


def utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; everything stored is UTC."""
    return None if value is None else as_utc(value)


def slugify(text: str, *, limit: int = MAX_SLUG) -> str:
    """'What is X (in adults)?' → 'what-is-x-in-adults', cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = ""
    for word in _SLUG_WORDS.findall(ascii_text):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    if slug in RESERVED_SLUGS:  # /api/v1/articles/recent is the list, not an article called "Recent?"
        return f"{slug}-article"
    return slug or "article"


#: Paths beside /articles/{slug} that an article's slug must not shadow.
RESERVED_SLUGS = frozenset({"recent", "popular", "search"})


@dataclass(frozen=True)
class ArticleRow:
    id: int
    slug: str
    question: str
    title: str
    audience: Audience
    thread_id: str | None
    views: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class NewVersion:
    """What a generated answer becomes: the answer, its evidence snapshot and provenance."""

    audience: Audience
    answer: Answer
    evidence: list[SearchHit]
    provenance: Provenance


@dataclass(frozen=True)
class Actor:
    """Who an audit event names: a signed-in user, or an anonymous reader (generated drafts)."""

    id: int | None
    name: str
    username: str = ""
    role: str = "reader"
    credentials: str = ""
    specialty: str = ""

    @classmethod
    def of(cls, user: User | None) -> Actor:
        if user is None:
            return cls(None, "anonymous reader")
        return cls(user.id, user.display_name or user.username, user.username, user.role.value,
                   user.credentials, user.specialty)


def _article(row: Any) -> ArticleRow:
    return ArticleRow(id=int(row.id), slug=row.slug, question=row.question, title=row.title,
                      audience=Audience(row.audience), thread_id=row.thread_id,
                      views=int(row.views), created_at=_aware(row.created_at) or utcnow(),
                      updated_at=_aware(row.updated_at) or utcnow())


def _version(row: Any) -> ArticleVersion:
    return ArticleVersion(
        id=int(row.id), number=int(row.number), audience=Audience(row.audience),
        state=S(row.state), answer=Answer.model_validate_json(row.answer),
        evidence=_HITS.validate_json(row.evidence), created_at=_aware(row.created_at) or utcnow(),
        lock_version=int(row.lock_version), updated_at=_aware(row.updated_at),
        approved_at=_aware(row.approved_at),
        provenance=Provenance.model_validate_json(row.provenance))


def _event(row: Any) -> ReviewEvent:
    return ReviewEvent(
        id=int(row.id), version_id=int(row.version_id), actor=row.actor,
        actor_credentials=row.actor_credentials, at=_aware(row.at) or utcnow(),
        from_state=S(row.from_state) if row.from_state else None, to_state=S(row.to_state),
        comment=row.comment, action=row.action, actor_role=row.actor_role,
        actor_specialty=row.actor_specialty, version_number=int(row.number),
        audience=Audience(row.audience))


def _stale(version_id: int, expected: int, current: int | None) -> ConflictError:
    details: dict[str, Any] = {"version_id": version_id, "expected_lock_version": expected}
    if current is not None:
        details["current_lock_version"] = current
    return ConflictError("Someone else changed this version since you loaded it; reload the "
                         "article and decide again.", retryable=True, details=details)


_DRAFTS = [s.value for s in workflow.DRAFT_STATES]


class ArticleStore:
    """Articles, versions and review events in SQL (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- articles ---------------------------------------------------------------------------

    def create_article(self, *, question: str, slug_base: str, thread_id: str | None,
                       first: NewVersion, actor: Actor, vector: bytes | None,
                       embedding_model: str, merge: bool = True) -> tuple[ArticleRow, bool]:
        """Insert an article and its first version under a free slug.

        Returns ``(article, created)``: when ``merge`` and an article with the same normalised
        question appeared meanwhile, that one comes back with ``created=False`` and nothing is
        written. (Follow-ups in a thread are not merged: their words depend on the thread.)
        """
        key = question_key(question)
        base = slugify(slug_base)
        for _attempt in range(20):
            now = utcnow()
            try:
                with self.engine.begin() as conn:
                    same = conn.execute(select(articles).where(articles.c.question_key == key)
                                        .order_by(articles.c.id).limit(1)).first()
                    if merge and same is not None:
                        return _article(same), False
                    article_id = int(conn.execute(insert(articles).values(
                        slug=self._free_slug(conn, base), question=question, question_key=key,
                        title=first.answer.title, audience=first.audience.value,
                        thread_id=thread_id, views=0, embedding_model=embedding_model,
                        question_vector=vector, created_by=actor.id, created_at=now,
                        updated_at=now).returning(articles.c.id)).scalar_one())
                    self._insert_version(conn, article_id, first, actor, number=1, now=now)
                    row = conn.execute(select(articles).where(articles.c.id == article_id)).one()
                    return _article(row), True
            except IntegrityError:
                continue  # another writer took that slug a moment ago: take the next free one
        raise ConflictError(f"Could not find a free slug for {base!r}; try again.", retryable=True)

    @staticmethod
    def _free_slug(conn: Connection, base: str) -> str:
        """``base``, or ``base-2``, ``base-3`` …, whichever is free first."""
        query = select(articles.c.slug).where(or_(articles.c.slug == base,
                                                  articles.c.slug.like(base + "-%")))
        taken = {r[0] for r in conn.execute(query)}
        n = 1
        while (f"{base}-{n}" if n > 1 else base) in taken:
            n += 1
        return f"{base}-{n}" if n > 1 else base

    def article(self, slug: str) -> ArticleRow:
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.slug == slug)).first()
        if row is None:
            raise NotFoundError(f"No article at {slug!r}; check the address or search the "
                                "articles.", details={"slug": slug})
        return _article(row)

    def articles_by_id(self, ids: Sequence[int]) -> dict[int, ArticleRow]:
        if not ids:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(select(articles).where(articles.c.id.in_(list(ids)))).all()
        return {int(r.id): _article(r) for r in rows}

    def article_by_question(self, question: str) -> ArticleRow | None:
        """The article whose normalised question equals ``question``'s, if any."""
        query = (select(articles).where(articles.c.question_key == question_key(question))
                 .order_by(articles.c.id).limit(1))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return _article(row) if row is not None else None

    def all_articles(self) -> list[ArticleRow]:
        with self.engine.connect() as conn:
            return [_article(r) for r in conn.execute(select(articles).order_by(articles.c.id))]

    def question_vectors(self, model: str) -> list[StoredQuestion]:
        query = select(articles.c.id, articles.c.question_vector).where(
            articles.c.embedding_model == model, articles.c.question_vector.is_not(None))
        with self.engine.connect() as conn:
            rows = conn.execute(query)
            return [StoredQuestion(int(r.id), bytes(r.question_vector)) for r in rows]

    def question_vector(self, article_id: int) -> tuple[str, bytes] | None:
        """(embedding model, vector) of one article's question, if it has one."""
        query = select(articles.c.embedding_model, articles.c.question_vector).where(
            articles.c.id == article_id, articles.c.question_vector.is_not(None))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return (row.embedding_model, bytes(row.question_vector)) if row else None

    def questions_without_vector(self, model: str) -> list[tuple[int, str]]:
        query = select(articles.c.id, articles.c.question).where(
            or_(articles.c.embedding_model != model, articles.c.question_vector.is_(None)))
        with self.engine.connect() as conn:
            return [(int(r.id), r.question) for r in conn.execute(query)]

    def set_question_vector(self, article_id: int, model: str, vector: bytes) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(articles).where(articles.c.id == article_id)
                         .values(embedding_model=model, question_vector=vector))

    def count_view(self, article_id: int, n: int = 1) -> None:
        """``n`` more views (atomic increment, so concurrent readers are all counted)."""
        with self.engine.begin() as conn:
            conn.execute(update(articles).where(articles.c.id == article_id)
                         .values(views=articles.c.views + n))

    # --- versions ---------------------------------------------------------------------------

    def add_version(self, article_id: int, new: NewVersion, actor: Actor, *,
                    supersede_drafts: bool) -> ArticleVersion:
        """Append a ``submitted`` version (number = last + 1); older drafts may be superseded.

        The audience's approved version is left alone: it stays public until a newer one is
        approved. Two racing writers cannot take the same number (unique constraint).
        """
        now = utcnow()
        try:
            with self.engine.begin() as conn:
                last = int(conn.execute(select(func.coalesce(func.max(versions.c.number), 0)).where(
                    versions.c.article_id == article_id,
                    versions.c.audience == new.audience.value)).scalar_one())
                new_id = self._insert_version(conn, article_id, new, actor, number=last + 1,
                                              now=now)
                if supersede_drafts:
                    drafts = conn.execute(select(versions).where(
                        versions.c.article_id == article_id, versions.c.id != new_id,
                        versions.c.audience == new.audience.value,
                        versions.c.state.in_(_DRAFTS))).all()
                    for draft in drafts:
                        self._supersede(conn, draft, actor, f"Replaced by version {last + 1}.", now)
                conn.execute(update(articles).where(articles.c.id == article_id)
                             .values(updated_at=now, title=new.answer.title))
                row = conn.execute(select(versions).where(versions.c.id == new_id)).one()
        except IntegrityError as exc:
            raise ConflictError("Someone else added a version of this article at the same moment; "
                                "reload it.", retryable=True) from exc
        return _version(row)

    @staticmethod
    def _insert_version(conn: Connection, article_id: int, new: NewVersion, actor: Actor, *,
                        number: int, now: datetime) -> int:
        version_id = int(conn.execute(insert(versions).values(
            article_id=article_id, audience=new.audience.value, number=number,
            state=workflow.INITIAL_STATE.value, lock_version=1, title=new.answer.title,
            answer=new.answer.model_dump_json(), evidence=_HITS.dump_json(new.evidence).decode(),
            provenance=new.provenance.model_dump_json(), created_by=actor.id, created_at=now,
            updated_at=now, approved_at=None).returning(versions.c.id)).scalar_one())
        ArticleStore._insert_event(conn, article_id, version_id, workflow.CREATE, actor, None,
                                   workflow.INITIAL_STATE, "", now)
        return version_id

    def version(self, version_id: int) -> tuple[int, ArticleVersion]:
        """(article id, version)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(versions).where(versions.c.id == version_id)).first()
        if row is None:
            raise NotFoundError(f"No article version with id {version_id}.")
        return int(row.article_id), _version(row)

    def versions(self, article_id: int, audience: Audience | None = None) -> list[ArticleVersion]:
        """Versions by audience, oldest first."""
        query = select(versions).where(versions.c.article_id == article_id)
        if audience is not None:
            query = query.where(versions.c.audience == audience.value)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(versions.c.audience, versions.c.number))
            return [_version(r) for r in rows]

    def public_and_latest(self, article_id: int, audience: Audience
                          ) -> tuple[ArticleVersion | None, ArticleVersion | None]:
        """The newest approved version and the newest of any state, of one audience."""
        base = select(versions).where(versions.c.article_id == article_id,
                                      versions.c.audience == audience.value)
        newest = versions.c.number.desc()
        with self.engine.connect() as conn:
            latest = conn.execute(base.order_by(newest).limit(1)).first()
            public = conn.execute(base.where(versions.c.state == S.APPROVED.value)
                                  .order_by(newest).limit(1)).first()
        return (_version(public) if public else None), (_version(latest) if latest else None)

    def audiences(self, article_id: int) -> list[Audience]:
        query = select(versions.c.audience).where(versions.c.article_id == article_id).distinct()
        with self.engine.connect() as conn:
            found = {Audience(r[0]) for r in conn.execute(query)}
        return [a for a in Audience if a in found]

    def approved_versions(self, article_id: int) -> list[ArticleVersion]:
        query = select(versions).where(versions.c.article_id == article_id,
                                       versions.c.state == S.APPROVED.value)
        with self.engine.connect() as conn:
            return [_version(r) for r in conn.execute(query)]

    # --- transitions ------------------------------------------------------------------------

    def _load_for_transition(self, conn: Connection, version_id: int) -> Any:
        """The version row a transition starts from (a seam for the concurrency tests)."""
        return conn.execute(select(versions).where(versions.c.id == version_id)).first()

    def transition(self, article_id: int, version_id: int, act: workflow.Action, actor: Actor,
                   comment: str, expected_lock_version: int, *,
                   required_approvals: int = 1) -> ArticleVersion:
        """Apply ``act`` if the version's lock_version is still ``expected_lock_version``.

        Approval follows the two-person rule (``approvals.py``): it needs ``required_approvals``
        distinct reviewers, none of them an author of the version. The final approval supersedes
        the audience's previous approved version and older drafts and queues the knowledge-base
        sync in the outbox, all in the same transaction; every change appends an audit event.
        """
        now = utcnow()
        try:
            with self.engine.begin() as conn:
                row = self._load_for_transition(conn, version_id)
                if row is None or int(row.article_id) != article_id:
                    raise NotFoundError(f"This article has no version with id {version_id}.")
                if int(row.lock_version) != expected_lock_version:
                    raise _stale(version_id, expected_lock_version, int(row.lock_version))
                current = S(row.state)
                target = workflow.check_transition(act, current, comment)
                if act.name == "approve":
                    target = approval_target(conn, row, actor.id, actor.name, required_approvals)
                values: dict[str, Any] = {"state": target.value, "updated_at": now,
                                          "lock_version": versions.c.lock_version + 1}
                if target == S.APPROVED:
                    values["approved_at"] = now
                done = conn.execute(update(versions).where(
                    versions.c.id == version_id, versions.c.state == current.value,
                    versions.c.lock_version == expected_lock_version).values(**values))
                if done.rowcount != 1:  # another transaction committed first
                    raise _stale(version_id, expected_lock_version, None)
                self._insert_event(conn, article_id, version_id, act.name, actor, current, target,
                                   comment, now)
                if target == S.APPROVED:
                    replaced = conn.execute(select(versions).where(
                        versions.c.article_id == article_id, versions.c.id != version_id,
                        versions.c.audience == row.audience,
                        or_(versions.c.state == S.APPROVED.value,
                            and_(versions.c.state.in_(_DRAFTS), versions.c.number < row.number)),
                    )).all()
                    for old in replaced:
                        self._supersede(conn, old, actor, f"Superseded by version {row.number}.",
                                        now)
                if S.APPROVED in (current, target) and current != target:
                    enqueue_sync(conn, article_id, now)
                conn.execute(update(articles).where(articles.c.id == article_id)
                             .values(updated_at=now))
                fresh = conn.execute(select(versions).where(versions.c.id == version_id)).one()
        except OperationalError as exc:
            if "locked" not in str(exc.orig).lower():
                raise
            raise ConflictError("The article is being changed by someone else; try again.",
                                retryable=True) from exc
        return _version(fresh)

    def _supersede(self, conn: Connection, row: Any, actor: Actor, comment: str,
                   now: datetime) -> None:
        act = workflow.SUPERSEDE
        current = S(row.state)
        target = workflow.check_transition(act, current)
        done = conn.execute(update(versions).where(
            versions.c.id == row.id, versions.c.state == current.value,
            versions.c.lock_version == row.lock_version,
        ).values(state=target.value, lock_version=versions.c.lock_version + 1, updated_at=now))
        if done.rowcount != 1:
            raise _stale(int(row.id), int(row.lock_version), None)
        self._insert_event(conn, int(row.article_id), int(row.id), act.name, actor, current,
                           target, comment, now)

    @staticmethod
    def _insert_event(conn: Connection, article_id: int, version_id: int, action: str,
                      actor: Actor, from_state: ReviewState | None, to_state: ReviewState,
                      comment: str, now: datetime) -> None:
        conn.execute(insert(review_events).values(
            article_id=article_id, version_id=version_id, action=action, actor_id=actor.id,
            actor=actor.name, actor_username=actor.username, actor_role=actor.role,
            actor_credentials=actor.credentials, actor_specialty=actor.specialty,
            from_state=from_state.value if from_state else None, to_state=to_state.value,
            comment=comment.strip(), at=now))

    # --- audit trail ------------------------------------------------------------------------

    def events(self, article_id: int) -> list[ReviewEvent]:
        """Every event of the article, in the order they happened."""
        query = (select(review_events, versions.c.number, versions.c.audience)
                 .join(versions, versions.c.id == review_events.c.version_id)
                 .where(review_events.c.article_id == article_id).order_by(review_events.c.id))
        with self.engine.connect() as conn:
            return [_event(r) for r in conn.execute(query)]

    def approvers(self, version_id: int) -> list[str]:
        """Signatures of who approved ``version_id`` ('Jane Roe, MD (Radiology)')."""
        out = []
        with self.engine.connect() as conn:
            for r in approvals_since_review_started(conn, version_id):
                name = r.actor + (f", {r.actor_credentials}" if r.actor_credentials else "")
                out.append(name + (f" ({r.actor_specialty})" if r.actor_specialty else ""))
        return out
