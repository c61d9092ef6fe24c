"""``answer.nearest``: the statements of the top retrieved passages closest to the question, quoted beside an
answer and in place of an abstention. Real parts: SQLite, tantivy, usearch, the packaged MiniLM,
real MedQuAD and PubMedQA excerpts."""

from __future__ import annotations

from typing import Literal

import pytest
from tests.answer.cases import nearest

from curbside.answer.citations import statements
from curbside.answer.compose.typed import NEAR_ITEMS, nearest_heading
from curbside.answer.service import AnswerService
from curbside.domain import Answer, AnswerItem, AnswerSection, Audience, Provenance
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings

Mode = Literal["off", "on_subject", "any"]



def _service(settings: Settings, embedder: Embedder, mode: Mode) -> AnswerService:
    changed = nearest(settings, mode)
    return AnswerService(changed, KnowledgeBase(changed, embedder=embedder))


def _items(answer: Answer) -> list[AnswerItem]:
    return [item for section in answer.sections for item in section.items]


def test_on_subject_by_default_and_off_the_calf_question_abstains(kb_settings: Settings, embedder: Embedder) -> None:
    # the default since the thirty-first session: more of the must-have statements covered on three question sets
    # (docs/benchmarks.md, "Thirty-first session")
    assert Settings().answer.nearest == "on_subject"
    answer = _service(kb_settings, embedder, "off").ask("What does calcification in the calf mean?")
    assert answer.abstained


def test_any_answers_an_uncovered_question_from_the_closest_statements_and_says_so(
        kb_settings: Settings, embedder: Embedder) -> None:
    service = _service(kb_settings, embedder, "any")
    answer = service.ask("What does calcification in the calf mean?", audience="patient")
    assert not answer.abstained
    assert answer.provenance.composer == "nearest"
    assert any(n.kind == "partial" and "closest" in n.text for n in answer.notices)
    assert "calf" in answer.provenance.extra["not_answered_because"]
    quoted = [text for _where, text, _cited in statements(answer)]
    assert 1 <= len([answer.bottom_line, *_items(answer)]) <= NEAR_ITEMS
    found = service.kb.store.passages_by_id(answer.provenance.passage_ids)
    for text in quoted:  # each statement verbatim in a passage the answer cites
        assert any(text in passage.text for _pk, passage, _s in found.values())
    assert {r.number for r in answer.references} == {c for item in [answer.bottom_line, *_items(answer)]
                                                       for c in item.citations}


def test_on_subject_keeps_the_abstention_when_no_close_statement_names_the_subject(
        kb_settings: Settings, embedder: Embedder) -> None:
    answer = _service(kb_settings, embedder, "on_subject").ask("What does calcification in the calf mean?")
    assert answer.abstained and answer.references == []


@pytest.mark.parametrize("mode", ["on_subject", "any"])
def test_an_answer_keeps_its_statements_and_adds_the_closest_under_their_own_heading(
        kb_settings: Settings, embedder: Embedder, mode: Mode) -> None:
    question = "What are the treatments for kidney stones?"
    plain = _service(kb_settings, embedder, "off").ask(question, audience=Audience.PATIENT)
    service = _service(kb_settings, embedder, mode)
    more = service.ask(question, audience=Audience.PATIENT)
    assert not plain.abstained and not more.abstained
    before = [text for _where, text, _cited in statements(plain)]
    after = [text for _where, text, _cited in statements(more)]
    assert after[: len(before)] == before  # nothing of the answer is dropped or reordered
    added = [s for s in more.sections if s.heading == nearest_heading(Audience.PATIENT)]
    assert len(added) == 1 and 1 <= len(added[0].items) <= NEAR_ITEMS
    assert more.sections[-1] == added[0]  # the last section
    for item in added[0].items:  # not a repeat of what the answer says
        assert item.text not in before
    numbers = [r.number for r in more.references]
    assert numbers == list(range(1, len(numbers) + 1))
    assert [r.title for r in more.references][: len(plain.references)] == [r.title for r in plain.references]
    found = service.kb.store.passages_by_id(more.provenance.passage_ids)
    for item in added[0].items:
        cited = {p.id for n in item.citations for p in more.references[n - 1].passages}
        assert any(item.text in passage.text for pid, (_pk, passage, _s) in found.items() if pid in cited)
    if mode == "on_subject":
        assert all("kidney" in item.text.lower() or "stone" in item.text.lower()
                   or any("Kidney" in more.references[n - 1].title for n in item.citations) for item in added[0].items)


def test_a_list_the_answer_shows_is_not_quoted_again(embedder: Embedder) -> None:
    """The answer's statements are compared with the nearest ones whole: a list introduction with its items."""
    from curbside.answer.compose.typed import with_nearest
    from curbside.answer.understand.analysis import analyze
    from curbside.domain import CitedText, Passage, Reference, ReferencePassage, SearchHit, Source, SourceKind

    text = ("Gamma widgets do several jobs in the device, including:\n- holding the frame\n- turning the gears\n"
            "- storing the charge\nGamma widgets wear out after some years of use.")
    source = Source(id="doc:gamma", kind=SourceKind.PATIENT_EDUCATION, title="Gamma widgets")
    hit = SearchHit(passage=Passage(id="doc:gamma#1", source_id=source.id, position=1, text=text), source=source,
                    score=1.0, rank=1)
    lead = "Gamma widgets do several jobs in the device, including:"
    items = [AnswerItem(text=t, citations=[1]) for t in ("holding the frame", "turning the gears", "storing the charge")]
    question = "What do gamma widgets do?"
    analysis = analyze(question, Audience.PATIENT)
    answer = Answer(question=question, title="Gamma widgets", audience=Audience.PATIENT, intent=analysis.intent,
                    bottom_line=CitedText(text="Gamma widgets wear out after some years of use.", citations=[1]),
                    sections=[AnswerSection(heading="What It Is", items=[AnswerItem(text=lead, citations=[1],
                                                                                      children=items)])],
                    references=[Reference(number=1, type="Patient education", title=source.title,
                                          source_id=source.id, passages=[ReferencePassage(id=hit.passage.id, text=text)])],
                    disclaimer="", provenance=Provenance(composer="sections", composer_version="1", settings_hash="",
                                                         retrieval_query=question))
    more = with_nearest(answer, analysis, [hit], embedder)
    assert more == answer  # nothing new to add


def test_a_sentence_the_answer_shows_is_not_quoted_again_with_the_one_that_follows_it(embedder: Embedder) -> None:
    """A statement whose own sentence the answer already says is a repeat, though the sentence after it (joined to it
    because it refers back) says more: the reader would read the first sentence twice."""
    from curbside.answer.compose.typed import with_nearest
    from curbside.answer.understand.analysis import analyze
    from curbside.domain import CitedText, Passage, Reference, ReferencePassage, SearchHit, Source, SourceKind

    first = "Gamma widgets are small parts that hold a device's frame together."
    text = f"{first} They come in three sizes, made of steel, brass or plastic for different machines and tools."
    source = Source(id="doc:gamma", kind=SourceKind.PATIENT_EDUCATION, title="Gamma widgets")
    hit = SearchHit(passage=Passage(id="doc:gamma#1", source_id=source.id, position=1, text=text), source=source,
                    score=1.0, rank=1)
    question = "What are gamma widgets?"
    analysis = analyze(question, Audience.PATIENT)
    answer = Answer(question=question, title="Gamma widgets", audience=Audience.PATIENT, intent=analysis.intent,
                    bottom_line=CitedText(text=first, citations=[1]), sections=[],
                    references=[Reference(number=1, type="Patient education", title=source.title,
                                          source_id=source.id, passages=[ReferencePassage(id=hit.passage.id, text=text)])],
                    disclaimer="", provenance=Provenance(composer="sections", composer_version="1", settings_hash="",
                                                         retrieval_query=question))
    more = with_nearest(answer, analysis, [hit], embedder)
    assert [item.text for section in more.sections for item in section.items] == []

def test_on_subject_answers_in_place_of_an_abstention_only_from_statements_about_the_subject(
        embedder: Embedder) -> None:
    """``on_subject`` turns an abstention into a partial answer too, but quotes only statements that name what the
    question is about; a statement as close about something else is left out (invented placeholder text)."""
    from curbside.answer.compose.typed import compose_nearest
    from curbside.answer.understand.analysis import analyze
    from curbside.domain import AbstainKind, CitedText, Passage, SearchHit, Source, SourceKind

    def hit(slug: str, title: str, text: str, rank: int) -> SearchHit:
        source = Source(id=f"doc:{slug}", kind=SourceKind.PATIENT_EDUCATION, title=title)
        return SearchHit(passage=Passage(id=f"doc:{slug}#1", source_id=source.id, position=1, text=text),
                         source=source, score=1.0 / rank, rank=rank)

    other = hit("delta", "Delta widgets", "Delta widgets last for many years when they are kept cool.", 1)
    about = hit("gamma", "Gamma widgets", "Gamma widgets last for many years when they are kept dry.", 2)
    question = "How long do gamma widgets last?"
    analysis = analyze(question, Audience.PATIENT)
    abstained = Answer(question=question, title="Gamma widgets", audience=Audience.PATIENT, intent=analysis.intent,
                       abstained=True, abstain_reason="no section says how long", abstain_kind=AbstainKind.NO_ANSWER,
                       bottom_line=CitedText(text=""), sections=[], references=[], disclaimer="",
                       provenance=Provenance(composer="sections", composer_version="1", settings_hash="",
                                             retrieval_query=question))
    anyway = compose_nearest(abstained, analysis, [other, about], embedder)
    assert anyway is not None and "Delta widgets" in anyway.bottom_line.text + " ".join(i.text for i in _items(anyway))
    partial = compose_nearest(abstained, analysis, [other, about], embedder, on_subject=True)
    assert partial is not None and not partial.abstained
    shown = [partial.bottom_line.text, *(item.text for item in _items(partial))]
    assert shown == ["Gamma widgets last for many years when they are kept dry."]
    assert [r.title for r in partial.references] == ["Gamma widgets"]
    assert compose_nearest(abstained, analysis, [other], embedder, on_subject=True) is None
