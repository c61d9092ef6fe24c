"""Approved articles become board-reviewed knowledge-base sources; retracted ones leave it."""

from __future__ import annotations

from curbside.accounts.models import Role, User
from curbside.articles.models import ReviewState
from curbside.articles.publish import board_source_id
from curbside.articles.service import ArticleService
from curbside.domain import Audience, EvidenceLevel, SearchFilters, SourceKind
from curbside.kb.service import KnowledgeBase
from tests.articles.conftest import PassageAnswers
from tests.articles.test_service import approve

BOARD = SearchFilters(kinds=[SourceKind.BOARD_REVIEWED])
QUESTION = "What is Cole disease?"


def test_approval_publishes_a_citable_board_reviewed_source(service: ArticleService, kb: KnowledgeBase,
                                                            answers: PassageAnswers,
                                                            users: dict[Role, User]) -> None:
    view = service.ask(QUESTION)
    assert kb.search(QUESTION, filters=BOARD) == []  # not before approval
    approve(service, view.slug, users[Role.REVIEWER])
    approved = service.view(view.slug).public
    assert approved is not None

    hits = kb.search(QUESTION, filters=BOARD)
    assert hits, "the approved article is searchable"
    source = hits[0].source
    assert source.id == board_source_id(view.slug, Audience.CLINICIAN) == f"board:{view.slug}:clinician"
    assert source.kind == SourceKind.BOARD_REVIEWED
    assert source.publisher == "curbside Medical Advisory Board"
    assert source.evidence_level == EvidenceLevel.EXPERT and source.audience == Audience.CLINICIAN
    assert source.url == f"/a/{view.slug}" and source.collection == "articles"
    assert source.attribution == "Reviewed by Dana Rivera, MD (Radiology)"
    assert source.identifiers.other == {"article": view.slug, "version": "1"}
    assert source.year == approved.approved_at.year  # type: ignore[union-attr]
    # the passages are the article's Markdown sections, without citation marks
    passages = kb.store.source_passages(source.id)
    texts = " ".join(p.text for p in passages)
    assert approved.answer.bottom_line.text in texts and "[1]" not in texts
    assert passages[0].headings[0] == approved.answer.title

    # unfiltered search finds it too, and a later answer can cite it
    assert any(h.source.kind == SourceKind.BOARD_REVIEWED for h in kb.search(QUESTION, k=5))
    answers.k = 5
    later = answers.ask("Tell me about Cole disease in adults")
    assert "Board-reviewed overview" in {r.type for r in later.references}


def test_retraction_removes_the_source(service: ArticleService, kb: KnowledgeBase,
                                       users: dict[Role, User]) -> None:
    slug = service.ask(QUESTION).slug
    approve(service, slug, users[Role.REVIEWER])
    assert kb.search(QUESTION, filters=BOARD)
    public = service.view(slug).public
    assert public is not None
    service.transition(slug, public.id, "retract", actor=users[Role.EDITOR], comment="Superseded guidance.",
                       expected_lock_version=public.lock_version)
    assert kb.store.source(board_source_id(slug, Audience.CLINICIAN)) is None
    assert kb.search(QUESTION, filters=BOARD) == []
    assert all(h.source.kind != SourceKind.BOARD_REVIEWED for h in kb.search(QUESTION, k=20))
    view = service.view(slug)
    assert view.public is None and view.latest.state == ReviewState.RETRACTED and view.withdrawn


def test_a_newer_approved_version_replaces_the_source(service: ArticleService, kb: KnowledgeBase,
                                                      answers: PassageAnswers, users: dict[Role, User]) -> None:
    slug = service.ask(QUESTION).slug
    approve(service, slug, users[Role.REVIEWER])
    answers.k = 1
    v2 = service.regenerate(slug, actor=users[Role.EDITOR])
    source_id = board_source_id(slug, Audience.CLINICIAN)
    assert kb.store.source(source_id).identifiers.other["version"] == "1"  # type: ignore[union-attr]
    approve(service, slug, users[Role.REVIEWER], version_id=v2.id)
    assert kb.store.source(source_id).identifiers.other["version"] == "2"  # type: ignore[union-attr]
    assert len([h for h in kb.search(QUESTION, k=20) if h.source.id == source_id]) >= 1
    # each audience is its own source
    patient = service.request_variant(slug, Audience.PATIENT).latest
    approve(service, slug, users[Role.REVIEWER], version_id=patient.id)
    assert kb.store.source(board_source_id(slug, Audience.PATIENT)) is not None
    service.sync_knowledge_base()  # idempotent repair pass
    assert {s.id for s in kb.store.iter_sources() if s.kind == SourceKind.BOARD_REVIEWED} == {
        source_id, board_source_id(slug, Audience.PATIENT)}
