"""The articles service on SQLite and PostgreSQL: asking, variants, what readers see, listings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from curbside.accounts.models import Role, User
from curbside.articles.models import ReviewState
from curbside.articles.service import ArticleService
from curbside.domain import Audience
from curbside.errors import InputError, NotFoundError
from curbside.events import ArticleReady, Duplicate, Stage, Step, Token
from curbside.kb.service import KnowledgeBase
from curbside.settings import Settings
from tests.articles.conftest import MemoEmbedder, PassageAnswers

S = ReviewState
Q_CALCINOSIS = "What is hyperphosphatemic familial tumoral calcinosis?"
Q_COLE = "What is Cole disease?"
Q_DRY = "What makes my mouth so dry?"


def approve(service: ArticleService, slug: str, reviewer: User, version_id: int | None = None) -> None:
    view = service.view(slug)
    version = view.latest if version_id is None else next(v for v in service.versions(slug) if v.id == version_id)
    version = service.transition(slug, version.id, "start_review", actor=reviewer,
                                 expected_lock_version=version.lock_version)
    service.transition(slug, version.id, "approve", actor=reviewer, comment="Checked against the sources.",
                       expected_lock_version=version.lock_version)


def test_ask_stores_version_one_with_its_evidence_snapshot(service: ArticleService, answers: PassageAnswers) -> None:
    view = service.ask(Q_CALCINOSIS)
    assert view.slug == "what-is-hyperphosphatemic-familial-tumoral-calcinosis"
    assert view.question == Q_CALCINOSIS and view.audience == Audience.CLINICIAN
    assert view.public is None and view.pending_review and not view.withdrawn
    v1 = view.latest
    assert (v1.number, v1.state, v1.lock_version) == (1, S.SUBMITTED, 1)
    assert v1.answer.question == Q_CALCINOSIS and v1.answer.references
    # the evidence snapshot is exactly what the answer used, with passages and sources as stored
    assert [h.passage.id for h in v1.evidence] == v1.answer.provenance.passage_ids
    assert [h.rank for h in v1.evidence] == list(range(1, len(v1.evidence) + 1))
    stored = service.kb.store.passages_by_id([h.passage.id for h in v1.evidence])
    for hit in v1.evidence:
        assert stored[hit.passage.id][1] == hit.passage and stored[hit.passage.id][2] == hit.source
    assert v1.evidence[0].source.collection == "medquad"
    assert v1.provenance is not None and v1.provenance.reason == "ask" and v1.provenance.requested_by == ""
    assert v1.provenance.settings_fingerprint == service.settings.fingerprint()
    history = service.history(view.slug)
    assert [(e.action, e.actor, e.to_state) for e in history] == [("create", "anonymous reader", S.SUBMITTED)]
    assert view.last_updated == v1.created_at and view.audiences == [Audience.CLINICIAN]


def test_ask_stream_reports_progress_then_the_article(service: ArticleService) -> None:
    events = list(service.ask_stream(Q_COLE, audience=Audience.PATIENT, thread_id=None, user=None))
    assert all(isinstance(e, Step) for e in events[:-1])
    assert {e.stage for e in events[:-1] if isinstance(e, Step)} >= {"duplicates", "answering", "saving"}
    assert isinstance(events[-1], ArticleReady)
    article = events[-1].article
    assert article.audience == Audience.PATIENT
    again = list(service.ask_stream(Q_COLE, audience=Audience.PATIENT, thread_id=None, user=None))
    assert [type(e) for e in again] == [Step, Duplicate, ArticleReady]
    assert isinstance(again[1], Duplicate) and isinstance(again[-1], ArticleReady)
    assert again[1].slug == article.slug and again[-1].article.id == article.id


def test_bad_questions_and_audiences(service: ArticleService) -> None:
    with pytest.raises(InputError, match="empty"):
        service.ask("   ")
    with pytest.raises(InputError, match="longer than"):
        service.ask("why " * 600)
    with pytest.raises(InputError, match="clinician or patient"):
        service.ask(Q_COLE, audience=Audience.BOTH)
    with pytest.raises(NotFoundError) as info:
        service.get("no-such-article")
    assert info.value.status == 404


def test_audience_variants_are_generated_on_request(service: ArticleService, answers: PassageAnswers) -> None:
    view = service.ask(Q_COLE)
    assert len(answers.calls) == 1
    patient = service.request_variant(view.slug, Audience.PATIENT)
    assert answers.calls[-1] == (Q_COLE, Audience.PATIENT, None) and len(answers.calls) == 2
    assert patient.audience == Audience.PATIENT and patient.latest.audience == Audience.PATIENT
    assert patient.latest.number == 1 and patient.latest.state == S.SUBMITTED
    assert patient.latest.provenance is not None and patient.latest.provenance.reason == "variant"
    assert patient.audiences == [Audience.CLINICIAN, Audience.PATIENT]
    service.get(view.slug, audience=Audience.PATIENT)
    service.request_variant(view.slug, Audience.PATIENT)
    assert len(answers.calls) == 2  # generated once
    # asking the same question for patients returns the article in that audience
    assert service.ask(Q_COLE, audience=Audience.PATIENT).latest.id == patient.latest.id
    assert service.get(view.slug).latest.id == view.latest.id  # the clinician text is untouched


def test_approved_version_stays_public_while_a_new_one_is_reviewed(
        service: ArticleService, answers: PassageAnswers, users: dict[Role, User]) -> None:
    slug = service.ask(Q_CALCINOSIS).slug
    approve(service, slug, users[Role.REVIEWER])
    approved = service.get(slug)
    v1 = approved.public
    assert v1 is not None and approved.latest.id == v1.id and not approved.pending_review
    assert approved.last_updated == v1.approved_at
    assert approved.reviewed_by == ["Dana Rivera, MD (Radiology)"]

    answers.k = 2  # the knowledge base "changed": the regenerated answer differs
    v2 = service.regenerate(slug, actor=users[Role.EDITOR])
    assert (v2.number, v2.state) == (2, S.SUBMITTED)
    reader = service.get(slug)
    assert reader.public is not None and reader.public.id == v1.id  # readers still see the approved text
    assert reader.displayed.id == v1.id and not reader.pending_review
    assert reader.latest.id == v2.id and reader.latest.state == S.SUBMITTED  # drives the stepper
    assert reader.last_updated == v1.approved_at
    assert [q.slug for q in service.queue()] == [slug]

    v2 = service.transition(slug, v2.id, "start_review", actor=users[Role.REVIEWER],
                            expected_lock_version=v2.lock_version)
    assert service.get(slug).public.id == v1.id  # type: ignore[union-attr]
    service.transition(slug, v2.id, "approve", actor=users[Role.ADMIN], expected_lock_version=v2.lock_version)
    after = service.get(slug)
    assert after.public is not None and after.public.id == v2.id and after.reviewed_by == ["Site Admin"]
    old = next(v for v in service.versions(slug) if v.id == v1.id)
    assert old.state == S.SUPERSEDED and old.answer == v1.answer  # never edited in place
    assert service.queue() == []
    diff = service.diff(slug, v1.id, v2.id)
    assert diff.startswith("--- version 1 (superseded)\n+++ version 2 (approved)\n")
    assert any(line.startswith("-") and not line.startswith("---") for line in diff.splitlines())


def test_reader_views_count_and_feed_popular_and_recent(service: ArticleService, users: dict[Role, User]) -> None:
    slugs = [service.ask(q).slug for q in (Q_CALCINOSIS, Q_COLE, Q_DRY)]
    assert service.recent() == [] and service.popular() == []  # nothing approved yet
    for slug in slugs:
        approve(service, slug, users[Role.REVIEWER])
    for _ in range(3):
        service.get(slugs[1])
    service.get(slugs[2])
    service.get(slugs[2], user=users[Role.REVIEWER])  # staff visits are not counted
    assert service.view(slugs[1]).views == 3 and service.view(slugs[2]).views == 1
    assert [v.slug for v in service.popular()] == [slugs[1], slugs[2], slugs[0]]
    assert [v.slug for v in service.popular(limit=1)] == [slugs[1]]
    assert [v.slug for v in service.recent()] == [slugs[2], slugs[1], slugs[0]]  # newest approval first
    assert all(not v.pending_review for v in service.recent())


def test_search_over_questions_and_titles(service: ArticleService, users: dict[Role, User]) -> None:
    calcinosis, cole, dry = (service.ask(q) for q in (Q_CALCINOSIS, Q_COLE, Q_DRY))
    assert [v.slug for v in service.search("cole")] == [cole.slug]
    assert [v.slug for v in service.search("TUMORAL Calcinosis")] == [calcinosis.slug]
    assert {v.slug for v in service.search("what")} == {calcinosis.slug, cole.slug, dry.slug}
    assert service.search("100%") == [] and service.search("_") == [] and service.search("  ") == []
    assert service.search("cole liver") == []  # every word must match
    version = service.view(dry.slug).latest
    service.transition(dry.slug, version.id, "reject", actor=users[Role.REVIEWER], comment="Off topic.",
                       expected_lock_version=version.lock_version)
    assert service.search("dry mouth") == []  # withdrawn articles are not listed
    assert service.view(dry.slug).withdrawn


def test_related_articles_are_the_closest_questions(service: ArticleService) -> None:
    first = service.ask(Q_CALCINOSIS)
    service.ask("What makes my mouth so dry?")
    close = service.ask("What are the treatments for hyperphosphatemic familial tumoral calcinosis?")
    related = service.get(first.slug).related
    assert related[0] == (close.slug, close.question)
    assert all(slug != first.slug for slug, _ in related)


def test_export_markdown_and_json(service: ArticleService, users: dict[Role, User]) -> None:
    slug = service.ask(Q_COLE).slug
    approve(service, slug, users[Role.REVIEWER])
    markdown = service.export(slug, "markdown")
    view = service.view(slug)
    assert markdown.startswith("---\n") and f'slug: "{slug}"' in markdown
    assert 'status: "Approved"' in markdown and '"Dana Rivera, MD (Radiology)"' in markdown
    assert f"# {view.displayed.answer.title}" in markdown and "## References" in markdown
    assert view.displayed.answer.sections[0].items[0].text in markdown
    data = json.loads(service.export(slug, "json"))
    assert data["slug"] == slug and data["public"]["state"] == "approved" and data["pending_review"] is False
    assert [e["action"] for e in data["history"]] == ["create", "start_review", "approve"]
    assert data["public"]["evidence"][0]["passage"]["id"] == view.displayed.evidence[0].passage.id
    with pytest.raises(InputError, match="markdown, json"):
        service.export(slug, "pdf")


class StreamingAnswers(PassageAnswers):
    """Like the answer service's ask_stream, and also hands over the hits it composed from."""

    def ask_stream(self, question: str, *, audience: Audience = Audience.CLINICIAN,
                   thread_id: str | None = None) -> Iterator[dict[str, Any]]:
        yield {"stage": "retrieving"}
        yield {"token": "…"}
        hits = self.kb.search(question, k=self.k)
        yield {"answer": self.ask(question, audience=audience, thread_id=thread_id), "evidence": hits}


def test_evidence_handed_over_by_the_answer_service_is_kept_exactly(
        art_settings: Settings, kb: KnowledgeBase, memo_embedder: MemoEmbedder) -> None:
    service = ArticleService(art_settings, StreamingAnswers(kb), embedder=memo_embedder)
    events = list(service.ask_stream(Q_COLE, audience=Audience.CLINICIAN, thread_id=None, user=None))
    assert Stage("retrieving") in events and Token("…") in events  # passed through for the page
    assert isinstance(events[-1], ArticleReady)
    version = events[-1].article.latest
    assert version.evidence == kb.search(Q_COLE, k=3)  # scores, ranks and retriever ranks included
    assert version.evidence[0].score > 0 and version.evidence[0].dense is not None
    assert service.view(events[-1].article.slug).latest.evidence == version.evidence
