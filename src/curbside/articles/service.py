"""The articles service: questions become reviewable, versioned articles (platform interface).

``ask`` returns the existing article for a near-duplicate question, or generates an answer and
stores it as version 1 (``submitted``). Audience variants are written when someone requests one
(``request_variant``, or asking the same question for the other audience); reading never writes. Reviewers move versions through the workflow (``workflow.py``); approved versions
become board-reviewed knowledge-base sources, retracted ones leave the knowledge base.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from sqlalchemy.engine import Engine

from curbside import __version__
from curbside.accounts.models import Role, User
from curbside.articles import listings, workflow
from curbside.articles.answers import AnswerProvider, WholeAnswerProvider, as_provider
from curbside.articles.dedupe import find_duplicate, rank_similar
from curbside.articles.models import ArticleVersion, ArticleView, ReviewEvent, VersionProvenance
from curbside.articles.outbox import apply_pending
from curbside.articles.publish import sync_article
from curbside.articles.render import unified_diff, version_markdown
from curbside.articles.store import Actor, ArticleRow, ArticleStore, NewVersion
from curbside.consult.deid import Deidentifier, shared_deidentifier
from curbside.db import get_engine
from curbside.domain import Answer, Audience, SearchHit
from curbside.errors import ConflictError, InputError, NotFoundError
from curbside.events import (
    AnswerEvent,
    AnswerReady,
    ArticleEvent,
    ArticleReady,
    Duplicate,
    Step,
    answer_event,
)
from curbside.kb.health import behind, require_healthy
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder, get_embedder, to_blob
from curbside.settings import Settings
from curbside.text import normalize_space, words

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000


class ExportFormat(StrEnum):
    """What ``export`` writes: Markdown with front matter, or JSON with versions and history."""

    MARKDOWN = "markdown"
    JSON = "json"


EXPORT_FORMATS = tuple(f.value for f in ExportFormat)
Vector = npt.NDArray[np.float32]


class ArticleService:
    """Articles, their versions and the review workflow, on the configured database."""

    def __init__(self, settings: Settings, answers: AnswerProvider | WholeAnswerProvider | None = None, *,
                 kb: KnowledgeBase | None = None, embedder: Embedder | None = None,
                 deidentifier: Deidentifier | None = None) -> None:
        self.settings = settings
        self.store = ArticleStore(get_engine(settings.resolved_database_url))
        self._answers = as_provider(answers) if answers is not None else None
        self._kb = kb
        self._embedder = embedder
        #: True in the server: when passages another process wrote wait to be embedded, approvals
        #: reach the knowledge base from the background thread (kb/maintenance.py), not inside
        #: the reviewer's request.
        self.defer_kb_sync = False
        self._deid = deidentifier

    # --- collaborators (created on first use) -----------------------------------------------

    @property
    def answers(self) -> AnswerProvider:
        if self._answers is None:
            from curbside.answer.service import AnswerService  # on first use: an injected provider needs none

            self._answers = AnswerService(self.settings, self.kb)
        return self._answers

    @property
    def kb(self) -> KnowledgeBase:
        """Where approved articles go: the answer service's knowledge base when it has one."""
        if self._kb is None:
            self._kb = self._answers.kb if self._answers is not None else KnowledgeBase(
                self.settings, embedder=self._embedder)
        return self._kb

    @property
    def embedder(self) -> Embedder:
        """The injected embedder, else the settings' one (loaded once per process)."""
        return self._embedder if self._embedder is not None else get_embedder(self.settings.embedding)

    @property
    def engine(self) -> Engine:
        return self.store.engine

    # --- asking -----------------------------------------------------------------------------

    def ask(self, question: str, *, audience: Audience = Audience.CLINICIAN,
            thread_id: str | None = None, user: User | None = None) -> ArticleView:
        """The article answering ``question``: the existing one for a near-duplicate, or new."""
        view: ArticleView | None = None
        for event in self.ask_stream(question, audience=audience, thread_id=thread_id, user=user):
            if isinstance(event, ArticleReady):
                view = event.article
        if view is None:  # pragma: no cover - ask_stream always ends with the article
            raise InputError("No article was produced for this question.")
        return view

    def ask_stream(self, question: str, *, audience: Audience = Audience.CLINICIAN,
                   thread_id: str | None = None, user: User | None = None) -> Iterator[ArticleEvent]:
        """Progress events (:mod:`curbside.events`), ending with :class:`ArticleReady`.

        The question is de-identified first (as consults are, :mod:`curbside.consult.deid`): what
        is answered, stored, slugged, searched and logged is the masked question, and a
        ``deidentified`` step tells the asker what was removed."""
        workflow.require(user, workflow.Permission.ASK)
        question, removed = self.deidentify(clean_question(question))
        audience = check_audience(audience)
        if removed:
            yield removal_step(removed)
        for event in self._ask_masked(question, audience, thread_id, user):
            if isinstance(event, ArticleReady) and removed:
                event = ArticleReady(event.article.model_copy(update={"removed": removed}))
            yield event

    def deidentify(self, question: str) -> tuple[str, list[str]]:
        """The question with its personal identifiers masked, and the kinds masked (NAME, PHONE …)."""
        masked = self.deid.mask(question)
        kinds = list(dict.fromkeys(e.type for e in masked.entities))
        return normalize_space(masked.text), kinds

    @property
    def deid(self) -> Deidentifier:
        """The consult board's de-identifier (one per process and threshold)."""
        if self._deid is None:
            self._deid = shared_deidentifier(self.settings.consult.deid_score_threshold)
        return self._deid

    def _ask_masked(self, question: str, audience: Audience, thread_id: str | None,
                    user: User | None) -> Iterator[ArticleEvent]:
        vector: Vector | None = None
        if thread_id is None:  # a follow-up only makes sense in its thread: never merged
            yield Step("duplicates", "Looking for an existing article on this question")
            existing, vector = self._find_duplicate(question)
            if existing is not None:
                yield Duplicate(existing.slug, existing.question)
                yield from self._existing(existing, audience, user)
                return
        answer, hits = None, None
        for event in self._answer_stream(question, audience, thread_id):
            if isinstance(event, AnswerReady):
                answer, hits = event.answer, event.evidence
            else:
                yield event
        if answer is None:
            raise InputError("The answer service finished without an answer.")
        require_healthy(self.kb)  # never save an answer made on a damaged or lost index
        yield Step("saving", "Saving the article for review")
        if vector is None:
            vector = self._embed(question)
        row, created = self.store.create_article(
            question=question,
            slug_base=question if thread_id is None else answer.title or question,
            thread_id=answer.thread_id or thread_id, actor=Actor.of(user), vector=to_blob(vector),
            first=self._new_version(answer, hits, audience, user, "ask", thread_id),
            embedding_model=self.embedder.name, merge=thread_id is None)
        if not created:  # the same question was saved meanwhile
            yield from self._existing(row, audience, user)
            return
        yield ArticleReady(self._view(row, audience))

    def _answer_stream(self, question: str, audience: Audience,
                       thread_id: str | None) -> Iterator[AnswerEvent]:
        """The answer service's progress (stages, tokens), ending with :class:`AnswerReady`."""
        stream = self.answers.ask_stream(question, audience=audience, thread_id=thread_id)
        for event in map(answer_event, stream):
            yield event
            if isinstance(event, AnswerReady):
                return

    def _existing(self, row: ArticleRow, audience: Audience, user: User | None) -> Iterator[ArticleEvent]:
        if self.store.public_and_latest(row.id, audience)[1] is None:
            yield Step("variant", f"Writing the {audience.value} version of this article")
        yield ArticleReady(self._get(row, audience, user, count_view=False))

    def _find_duplicate(self, question: str) -> tuple[ArticleRow | None, Vector | None]:
        """The article whose question equals ``question`` once normalised, or asks the same thing
        as closely as ``articles.duplicate_threshold``; also the question's vector, if computed."""
        same = self.store.article_by_question(question)
        if same is not None:
            return same, None
        self._backfill_vectors()
        vector = self._embed(question)
        rows: dict[int, ArticleRow] = {}

        def questions(ids: list[int]) -> dict[int, str]:
            rows.update(self.store.articles_by_id(ids))
            return {i: rows[i].question for i in ids if i in rows}

        match = find_duplicate(vector, question, self.store.question_vectors(self.embedder.name),
                               questions, self.embedder.dim,
                               self.settings.articles.duplicate_threshold)
        return (rows[match.article_id] if match else None), vector

    def _embed(self, text: str) -> Vector:
        return np.asarray(self.embedder.embed([text])[0], dtype=np.float32)

    def _backfill_vectors(self) -> None:
        """Embed questions stored without a vector of the active model (after a model change)."""
        todo = self.store.questions_without_vector(self.embedder.name)
        if todo:
            vectors = self.embedder.embed([q for _, q in todo])
            for (article_id, _), vector in zip(todo, vectors, strict=True):
                self.store.set_question_vector(article_id, self.embedder.name, to_blob(vector))

    def _new_version(self, answer: Answer, hits: list[SearchHit] | None, audience: Audience,
                     user: User | None, reason: str, thread_id: str | None) -> NewVersion:
        evidence = hits if hits is not None else self._evidence_from_store(answer)
        provenance = VersionProvenance(
            reason=reason, requested_by=user.username if user else "", thread_id=thread_id,
            settings_fingerprint=self.settings.fingerprint(), curbside_version=__version__)
        return NewVersion(audience=audience, answer=answer, evidence=evidence,
                          provenance=provenance)

    def _evidence_from_store(self, answer: Answer) -> list[SearchHit]:
        """The passages the answer used (provenance.passage_ids) as stored now, in order."""
        ids = list(dict.fromkeys(answer.provenance.passage_ids))
        found = self.kb.store.passages_by_id(ids)
        hits: list[SearchHit] = []
        for passage_id in ids:
            if passage_id in found:
                _, passage, source = found[passage_id]
                hits.append(SearchHit(passage=passage, source=source, score=0.0,
                                      rank=len(hits) + 1))
        return hits

    def _generate(self, question: str, audience: Audience, user: User | None,
                  reason: str) -> NewVersion:
        for event in self._answer_stream(question, audience, None):
            if isinstance(event, AnswerReady):
                return self._new_version(event.answer, event.evidence, audience, user, reason, None)
        raise InputError("The answer service finished without an answer.")

    # --- reading ----------------------------------------------------------------------------

    def get(self, slug: str, *, audience: Audience | None = None,
            user: User | None = None) -> ArticleView:
        """An article in one audience; readers' visits count. Reading never writes a version:
        a variant nobody has requested yet is a NotFoundError naming how to request it."""
        row = self.store.article(slug)
        audience = check_audience(audience or row.audience)
        if self.store.public_and_latest(row.id, audience)[1] is None:
            raise NotFoundError(
                f"Article {slug!r} has no {audience.value} version yet; request it with "
                f"POST /api/v1/articles/{slug}/variants (or the button on the article page).",
                details={"slug": slug, "audience": audience.value, "variant_missing": True})
        return self._get(row, audience, user, count_view=workflow.role_of(user) == Role.READER)

    def request_variant(self, slug: str, audience: Audience, *,
                        user: User | None = None) -> ArticleView:
        """The article in ``audience``, written now if it has no such version (needs ASK)."""
        workflow.require(user, workflow.Permission.ASK)
        row = self.store.article(slug)
        return self._get(row, check_audience(audience), user, count_view=False)

    def count_views(self, counts: dict[int, int]) -> None:
        """Add views counted elsewhere (article id → views), e.g. pages served from a cache."""
        for article_id, n in counts.items():
            if n > 0:
                self.store.count_view(article_id, n)

    def view(self, slug: str, *, audience: Audience | None = None) -> ArticleView:
        """An article as it stands: no view counted, nothing generated (CLI, dashboards)."""
        row = self.store.article(slug)
        return self._view(row, check_audience(audience or row.audience))

    def _get(self, row: ArticleRow, audience: Audience, user: User | None, *,
             count_view: bool) -> ArticleView:
        if self.store.public_and_latest(row.id, audience)[1] is None:
            workflow.require(user, workflow.Permission.ASK)
            new = self._generate(row.question, audience, user, "variant")
            try:
                self.store.add_version(row.id, new, Actor.of(user), supersede_drafts=False)
            except ConflictError:  # another visitor generated this variant at the same moment
                if self.store.public_and_latest(row.id, audience)[1] is None:
                    raise
        if count_view:
            self.store.count_view(row.id)
            row = self.store.article(row.slug)
        return self._view(row, audience)

    def _view(self, row: ArticleRow, audience: Audience, *, related: bool = True) -> ArticleView:
        public, latest = self.store.public_and_latest(row.id, audience)
        if latest is None:
            raise NotFoundError(f"Article {row.slug!r} has no {audience.value} version yet.")
        last_updated = (public.approved_at or public.created_at) if public else latest.created_at
        return ArticleView(
            id=row.id, slug=row.slug, question=row.question, audience=audience, public=public,
            latest=latest, last_updated=last_updated, views=row.views,
            related=self._related(row) if related else [], audiences=self.store.audiences(row.id),
            reviewed_by=self.store.approvers(public.id) if public else [])

    def _related(self, row: ArticleRow) -> list[tuple[str, str]]:
        """Articles with the most similar questions (withdrawn ones left out); no model needed."""
        cfg = self.settings.articles
        own = self.store.question_vector(row.id)
        if own is None or cfg.related_limit == 0:
            return []
        model, blob = own
        shown = listings.listed_ids(self.engine)
        stored = [s for s in self.store.question_vectors(model) if s.article_id in shown]
        query = np.frombuffer(blob, dtype="<f2").astype(np.float32)
        matches = rank_similar(query, stored, len(query), min_similarity=cfg.related_min_similarity,
                               limit=cfg.related_limit, exclude=row.id)
        rows = self.store.articles_by_id([m.article_id for m in matches])
        return [(rows[m.article_id].slug, rows[m.article_id].question) for m in matches
                if m.article_id in rows]

    def _views(self, pairs: list[tuple[int, Audience]]) -> list[ArticleView]:
        rows = self.store.articles_by_id([article_id for article_id, _ in pairs])
        return [self._view(rows[i], audience, related=False) for i, audience in pairs if i in rows]

    def recent(self, limit: int = 10) -> list[ArticleView]:
        """Newest approved articles."""
        return self._views(listings.recent_approved(self.engine, limit))

    def popular(self, limit: int = 10) -> list[ArticleView]:
        """Most viewed approved articles."""
        return self._views(listings.popular_approved(self.engine, limit))

    def search(self, query: str, limit: int = 20) -> list[ArticleView]:
        """Articles whose question or title has every word of ``query`` (not withdrawn ones)."""
        terms = list(dict.fromkeys(words(query)))[:10]
        if not terms:
            return []
        shown = listings.listed_ids(self.engine)
        found = [p for p in listings.search(self.engine, terms, limit * 2) if p[0] in shown]
        return self._views(found[:limit])

    def queue(self) -> list[ArticleView]:
        """One view per article and audience with a version awaiting review, oldest first."""
        return self._views(listings.awaiting_review(self.engine))

    def list_articles(self) -> list[ArticleView]:
        """Every article in the audience it was asked for (CLI)."""
        return [self._view(row, row.audience, related=False) for row in self.store.all_articles()]

    # --- review -----------------------------------------------------------------------------

    def transition(self, slug: str, version_id: int, action: str, *, actor: User,
                   comment: str = "", expected_lock_version: int) -> ArticleVersion:
        """Apply a workflow action; approval publishes to the knowledge base, retraction removes."""
        act = workflow.action(action)
        workflow.check_actor(actor, act)
        row = self.store.article(slug)
        version = self.store.transition(
            row.id, version_id, act, Actor.of(actor), comment, expected_lock_version,
            required_approvals=self.settings.articles.required_approvals)
        if not (self.defer_kb_sync and behind(self.kb)):  # a backlog is caught up in the background
            self.apply_outbox(raise_errors=False)
        return version

    def regenerate(self, slug: str, *, actor: User,
                   audience: Audience | None = None) -> ArticleVersion:
        """A new ``submitted`` version from today's evidence; the approved one stays public."""
        workflow.require(actor, workflow.Permission.EDIT)
        row = self.store.article(slug)
        new = self._generate(row.question, check_audience(audience or row.audience), actor,
                             "regenerate")
        return self.store.add_version(row.id, new, Actor.of(actor), supersede_drafts=True)

    def apply_outbox(self, *, raise_errors: bool = True) -> int:
        """Sync the knowledge base for every approval or retraction not synced yet (idempotent).

        Runs after each transition and at start-up; returns how many articles were synced.
        After a transition a failure is logged, not raised: the approval is committed, its
        outbox row stays pending, and the next start (or ``curbside articles sync-kb``)
        applies it.
        """
        def sync(article_id: int) -> None:
            row = self.store.articles_by_id([article_id]).get(article_id)
            if row is not None:
                self._sync_row(row)

        try:
            return apply_pending(self.engine, sync)
        except Exception:
            if raise_errors:
                raise
            log.exception("could not update the knowledge base; the outbox keeps the change")
            return 0

    def _sync_row(self, row: ArticleRow) -> None:
        approved = {v.audience: (v, self.store.approvers(v.id))
                    for v in self.store.approved_versions(row.id)}
        sync_article(self.kb, self.settings, row.slug, row.question, approved)

    def sync_knowledge_base(self, slug: str | None = None) -> None:
        """Make the knowledge base hold exactly the approved versions (of one article, or all).

        After a single transition a failure is logged, not raised: the transition is committed
        and ``curbside articles sync-kb`` repairs the knowledge base later.
        """
        rows = [self.store.article(slug)] if slug else self.store.all_articles()
        for row in rows:
            try:
                self._sync_row(row)
            except Exception:
                if slug is None:
                    raise
                log.exception("could not update the knowledge base for article %s", row.slug)

    def history(self, slug: str) -> list[ReviewEvent]:
        """The audit trail of every version, oldest first."""
        return self.store.events(self.store.article(slug).id)

    def versions(self, slug: str, audience: Audience | None = None) -> list[ArticleVersion]:
        return self.store.versions(self.store.article(slug).id, audience)

    def diff(self, slug: str, old_version_id: int, new_version_id: int) -> str:
        """Unified diff of the Markdown of two versions of the article."""
        row = self.store.article(slug)
        pair = []
        for version_id in (old_version_id, new_version_id):
            article_id, version = self.store.version(version_id)
            if article_id != row.id:
                raise NotFoundError(f"Version {version_id} does not belong to article {slug!r}.")
            pair.append(version)
        return unified_diff(pair[0], pair[1])

    def export(self, slug: str, fmt: str, *, audience: Audience | None = None) -> str:
        """The displayed version as Markdown (front matter first), or the article as JSON."""
        if fmt not in EXPORT_FORMATS:
            raise InputError(f"Unknown export format {fmt!r}; use one of: "
                             f"{', '.join(EXPORT_FORMATS)}.")
        view = self.view(slug, audience=audience)
        if fmt == "markdown":
            return version_markdown(view, view.displayed)
        payload = view.model_dump(mode="json")
        payload.update(pending_review=view.pending_review, withdrawn=view.withdrawn,
                       displayed_version_id=view.displayed.id,
                       history=[e.model_dump(mode="json") for e in self.history(slug)])
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


#: How the asker is told what was removed (the mask kinds of :mod:`curbside.consult.deid`).
_KIND_WORDS = {"NAME": "a name", "PHONE": "a phone number", "EMAIL": "an e-mail address", "URL": "a web address",
               "IP": "an IP address", "LOCATION": "a place", "ADDRESS": "an address", "DATE": "a date",
               "AGE": "an age over 89", "ID": "an identifying number", "HANDLE": "a social media handle",
               "FACILITY": "a hospital or clinic name"}


def removal_notice(removed: list[str]) -> str:
    """What the asker is told: which kinds of personal data were removed before publishing."""
    words = [_KIND_WORDS.get(kind, kind.lower()) for kind in removed]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return (f"Personal details removed before publishing: {listed}. Articles are public, so the question is "
            "stored and shown with [BRACKETS] in their place.")


def removal_step(removed: list[str]) -> Step:
    return Step("deidentified", removal_notice(removed))


def clean_question(question: str) -> str:
    """The question with its spacing normalised; a clear error when it is empty or too long."""
    question = normalize_space(question)
    if not question:
        raise InputError("The question is empty; type a question.")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(f"The question is longer than {MAX_QUESTION_CHARS} characters; "
                         "shorten it.")
    return question


def check_audience(audience: Audience) -> Audience:
    """The audience an article is written for (one of patient and clinician); a clear error otherwise."""
    audience = Audience(audience)
    if audience == Audience.BOTH:
        raise InputError("Choose an audience: clinician or patient.")
    return audience
