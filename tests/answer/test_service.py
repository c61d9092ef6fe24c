"""The answer service end to end: a small real knowledge base (real MedQuAD and PubMedQA excerpts,
the packaged embedding model, tantivy and usearch), then AnswerService.ask and ask_stream."""

from __future__ import annotations

import pytest

from curbside.answer.base import Evidence
from curbside.answer.citations import validate
from curbside.answer.service import AnswerService
from curbside.answer.understand.analysis import analyze
from curbside.domain import Audience, Intent
from curbside.errors import InputError, NotFoundError
from curbside.events import AnswerReady, Stage
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings


@pytest.fixture
def service(kb_settings: Settings, embedder: Embedder) -> AnswerService:
    return AnswerService(kb_settings, KnowledgeBase(kb_settings, embedder=embedder))


def test_ask_answers_with_citations_to_retrieved_passages(service: AnswerService) -> None:
    answer = service.ask("What are the treatments for kidney stones?")
    assert not answer.abstained and answer.intent == Intent.MANAGEMENT
    assert answer.title == "Management of Kidney Stones"
    assert answer.bottom_line.text and answer.bottom_line.citations
    known = {p.id for ref in answer.references for p in ref.passages}
    assert set(answer.provenance.passage_ids) == known
    found = service.kb.store.passages_by_id(sorted(known))
    assert set(found) == known, "every reference passage is a stored, retrievable passage"
    for ref in answer.references:
        assert all(found[p.id][1].text == p.text and found[p.id][2].id == ref.source_id for p in ref.passages)
    hits = service._retrieve(analyze("What are the treatments for kidney stones?", Audience.CLINICIAN))
    assert validate(answer, [Evidence(i + 1, h) for i, h in enumerate(hits)], verbatim=True) == []
    prov = answer.provenance
    # a treatment question about a page with a treatment section: the section-typed composer answers
    assert prov.composer == "sections" and prov.settings_hash == service.settings.fingerprint()
    assert prov.retrieval_query and prov.latency_ms > 0 and prov.fallback_reason == ""
    assert answer.thread_id and answer.follow_ups


def test_off_topic_question_abstains(service: AnswerService) -> None:
    answer = service.ask("How do I repair a torn rotator cuff in a professional baseball pitcher?")
    assert answer.abstained and answer.sections == [] and answer.references == []
    assert "does not cover" in answer.abstain_reason and "rotator cuff" in answer.abstain_reason
    assert answer.bottom_line.text == ""


def test_calcification_in_the_calf_abstains_honestly(service: AnswerService) -> None:
    """The fixtures hold calcification only in the brain (Fahr's syndrome) and arteries."""
    answer = service.ask("What does calcification in the calf mean?")
    assert answer.abstained and answer.references == []
    assert "calf" in answer.abstain_reason


def test_thread_follow_up_is_resolved_against_the_previous_turn(service: AnswerService) -> None:
    first = service.ask("What are the treatments for kidney stones?")
    follow = service.ask("what about in children?", thread_id=first.thread_id)
    assert follow.thread_id == first.thread_id
    assert follow.title == "Management of Kidney Stones in Children"
    assert "children" in follow.provenance.retrieval_query and "kidney stones" in follow.provenance.retrieval_query
    assert any("Children" in ref.title for ref in follow.references)
    turns = service.threads.turns(first.thread_id)
    assert [t.question for t in turns] == ["What are the treatments for kidney stones?", "what about in children?"]
    with pytest.raises(NotFoundError):
        service.ask("and in adults?", thread_id="000000000000")


def test_patient_answer(service: AnswerService) -> None:
    answer = service.ask("How can I prevent kidney stones?", audience="caregiver")
    assert answer.audience == Audience.PATIENT and not answer.abstained
    assert answer.title == "Preventing Kidney Stones"
    assert answer.references[0].type == "Patient education"
    assert answer.provenance.readability_grade is not None
    assert "not medical advice" in answer.disclaimer


def test_stream_reports_stages_then_the_answer(service: AnswerService) -> None:
    events = list(service.ask_stream("What causes hypoglycemia?"))
    stages = [e.stage for e in events if isinstance(e, Stage)]
    assert stages == ["safety", "analyzing", "retrieving", "composing", "checking"]
    assert isinstance(events[-1], AnswerReady) and events[-1].answer.intent == Intent.CAUSES


def test_composer_selection_and_fallback(service: AnswerService) -> None:
    answer = service.ask("What causes hypoglycemia?", composer="llm")
    assert answer.provenance.composer == "extractive"
    assert "llm.base_url" in answer.provenance.fallback_reason
    with pytest.raises(InputError, match="Unknown composer"):
        service.ask("What causes hypoglycemia?", composer="nope")
    with pytest.raises(InputError):
        service.ask("   ")


def test_red_flag_question_through_the_service(service: AnswerService) -> None:
    answer = service.ask("I'm having chest pain and shortness of breath, what causes hypoglycemia?",
                         audience="patient")
    assert answer.notices[0].urgent


def test_threads_survive_a_new_service(kb_settings: Settings, embedder: Embedder) -> None:
    first = AnswerService(kb_settings, KnowledgeBase(kb_settings, embedder=embedder)).ask("What is hypoglycemia?")
    again = AnswerService(kb_settings, KnowledgeBase(kb_settings, embedder=embedder))
    follow = again.ask("what causes it?", thread_id=first.thread_id)
    assert follow.intent == Intent.CAUSES and "hypoglycemia" in follow.title.lower()
