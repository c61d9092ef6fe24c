"""Articles through the real AnswerService (extractive composer) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from curbside.accounts.models import Role, User
from curbside.answer.service import AnswerService
from curbside.articles.models import ReviewState
from curbside.articles.service import ArticleService
from curbside.domain import Audience, SearchFilters, SourceKind
from curbside.events import ArticleReady, Stage, Step
from curbside.kb.service import KnowledgeBase
from curbside.settings import Settings
from tests.articles.test_service import approve

QUESTION = "What is hyperphosphatemic familial tumoral calcinosis?"


@pytest.fixture
def real(art_settings: Settings, kb: KnowledgeBase) -> ArticleService:
    return ArticleService(art_settings, AnswerService(art_settings, kb=kb))


def test_ask_review_publish_and_cite(real: ArticleService, kb: KnowledgeBase, users: dict[Role, User]) -> None:
    events = list(real.ask_stream(QUESTION, audience=Audience.CLINICIAN, thread_id=None, user=None))
    stages = [e.stage for e in events if isinstance(e, Stage | Step)]
    assert {"duplicates", "safety", "retrieving", "composing"} <= set(stages)
    assert isinstance(events[-1], ArticleReady)
    view = events[-1].article
    assert real.kb is kb  # approved articles go into the answer service's own knowledge base
    answer = view.latest.answer
    assert not answer.abstained and answer.references and view.latest.state == ReviewState.SUBMITTED
    # what it is, from the page's section that says what it is: the section-typed composer
    assert answer.provenance.composer == "sections"
    # the evidence snapshot holds every passage the references quote, as stored
    cited = {p.id for r in answer.references for p in r.passages}
    assert cited and cited == {h.passage.id for h in view.latest.evidence}
    assert all(h.source.collection == "medquad" for h in view.latest.evidence)
    assert answer.thread_id and real.store.article(view.slug).thread_id == answer.thread_id

    approve(real, view.slug, users[Role.REVIEWER])
    board = kb.search(QUESTION, filters=SearchFilters(kinds=[SourceKind.BOARD_REVIEWED]))
    assert board and board[0].source.id == f"board:{view.slug}:clinician"
    # later answers retrieve it among their evidence and cite it like any other source
    # a later question the approved article answers (what the condition is) cites it like any other source
    later = real.answers.ask("What is known about hyperphosphatemic familial tumoral calcinosis?")
    top = kb.search(later.provenance.retrieval_query, k=3)
    assert SourceKind.BOARD_REVIEWED in {h.source.kind for h in top}
    board_refs = [r for r in later.references if r.source_id == f"board:{view.slug}:clinician"]
    assert board_refs and board_refs[0].type == "Board-reviewed overview"
    assert board_refs[0].source == "curbside Medical Advisory Board"
    assert board_refs[0].url == f"/a/{view.slug}"


def test_variants_and_follow_ups(real: ArticleService) -> None:
    view = real.ask(QUESTION)
    patient = real.request_variant(view.slug, Audience.PATIENT)
    assert patient.latest.answer.audience == Audience.PATIENT and patient.latest.id != view.latest.id
    follow = real.ask("Is it inherited?", thread_id=view.latest.answer.thread_id)
    assert follow.id != view.id and follow.question == "Is it inherited?"
    assert follow.slug != "is-it-inherited"  # named after the resolved title, not the bare words
    assert real.store.article(follow.slug).thread_id == view.latest.answer.thread_id
