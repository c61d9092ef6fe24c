"""A comparison answered by both sides (answer/compose/typed.py: compose_compared): "Is X the same as Y?" names two
subjects the knowledge base has; the answer says what its sources say of each, under each one's name, and says
when no statement compares them. Real parts: the packaged MiniLM and models, MedlinePlus's health-topic XML
(tests/fixtures/medlineplus, public domain) and MedQuAD pages (tests/fixtures/kb, CC BY 4.0)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.answer.cases import service_over

from curbside.answer.compose.typed import COMPARED
from curbside.answer.service import AnswerService
from curbside.answer.understand.analysis import analyze
from curbside.answer.understand.question import compared_sides
from curbside.domain import Audience
from curbside.retrieval.embedder import Embedder

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAGES = [FIXTURES / "medlineplus" / "mplus_topics_excerpt.xml", *sorted((FIXTURES / "kb").glob("00000*.xml"))]
ASKED = "Is long COVID the same as chronic fatigue syndrome?"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> AnswerService:
    return service_over(tmp_path_factory.mktemp("compared"), embedder, PAGES, composed_only=True)


def test_the_sides_are_the_subjects_named_in_the_order_named(service: AnswerService) -> None:
    question = service.understand(analyze(ASKED, Audience.PATIENT, embedder=service.kb.embedder))
    assert [side.name for side in compared_sides(question)] == ["long covid", "chronic fatigue syndrome"]
    alone = service.understand(analyze("Is long COVID catching?", Audience.PATIENT, embedder=service.kb.embedder))
    assert [side.name for side in compared_sides(alone)] == ["long covid"]


def test_a_comparison_says_what_the_sources_say_of_each_side(service: AnswerService) -> None:
    answer = service.ask(ASKED, audience="patient")
    assert not answer.abstained and answer.provenance.composer == COMPARED
    assert answer.title == "Long COVID and Chronic Fatigue Syndrome: How They Compare"
    title_of = {r.number: r.title for r in answer.references}
    sides = {s.heading: {title_of[c] for item in s.items for c in item.citations} for s in answer.sections}
    # each side is said from its own page
    assert sides == {"Long COVID": {"Post-COVID Conditions (Long COVID)"},
                     "Chronic Fatigue Syndrome": {"Myalgic Encephalomyelitis/Chronic Fatigue Syndrome"}}
    # no statement compares them: the answer says so
    assert any(n.kind == "partial" and "compares" in n.text for n in answer.notices)


def test_every_statement_of_a_comparison_stands_in_the_passage_it_cites(service: AnswerService) -> None:
    answer = service.ask(ASKED, audience="patient")
    passages = {r.number: " ".join(p.text for p in r.passages) for r in answer.references}
    for item in [answer.bottom_line, *(i for s in answer.sections for i in s.items)]:
        assert all(item.text in passages[c] for c in item.citations), item.text
