"""Citations: numbering by first citation, only retrieved passages, and the validator."""

from __future__ import annotations

import pytest
from tests.answer.cases import load_hits

from curbside.answer.base import Evidence
from curbside.answer.citations import CitationError, check, number_references, prune, validate
from curbside.answer.compose.extractive import ExtractiveComposer
from curbside.answer.understand.analysis import analyze
from curbside.domain import (
    Answer,
    AnswerItem,
    AnswerSection,
    Audience,
    CitedText,
    Intent,
    Passage,
    Provenance,
    SearchHit,
    Source,
    SourceKind,
)


def _hit(source: str, position: int, text: str, kind: SourceKind = SourceKind.PATIENT_EDUCATION) -> SearchHit:
    src = Source(id=source, kind=kind, title=f"Title of {source}", publisher="Publisher", year=2020,
                 url=f"https://example.org/{source}")
    passage = Passage(id=f"{source}#{position}", source_id=source, position=position, text=text)
    return SearchHit(passage=passage, source=src, score=1.0, rank=position + 1)


EVIDENCE = [
    Evidence(1, _hit("doc:a", 0, "Passage about topic A. It has two sentences.")),
    Evidence(2, _hit("doc:b", 0, "Passage about topic B.", SourceKind.RESEARCH_ARTICLE)),
    Evidence(3, _hit("doc:a", 1, "Another passage of source A.")),
]


def _draft(bottom: list[int], items: list[tuple[str, list[int]]], text: str = "Passage about topic B.") -> Answer:
    return Answer(
        question="q", title="t", audience=Audience.CLINICIAN, intent=Intent.GENERAL,
        bottom_line=CitedText(text=text, citations=bottom),
        sections=[AnswerSection(heading="S", items=[AnswerItem(text=t, citations=c) for t, c in items])],
        disclaimer="d", provenance=Provenance(composer="test", composer_version="0", settings_hash="",
                                              retrieval_query="q"))


def test_references_are_numbered_in_order_of_first_citation() -> None:
    answer = number_references(_draft([2], [("Passage about topic A.", [1]), ("Another passage of source A.", [3, 2])]),
                               EVIDENCE)
    assert answer.bottom_line.citations == [1]
    assert [i.citations for i in answer.sections[0].items] == [[2], [2, 1]]
    first, second = answer.references
    assert (first.number, first.source_id, first.type) == (1, "doc:b", "Research")
    assert (second.number, second.source_id, second.type) == (2, "doc:a", "Patient education")
    assert [p.id for p in second.passages] == ["doc:a#0", "doc:a#1"], "one reference per source, all its passages"
    assert (second.title, second.source, second.year, second.url) == ("Title of doc:a", "Publisher", 2020,
                                                                      "https://example.org/doc:a")
    assert validate(answer, EVIDENCE, verbatim=True) == []


def test_only_retrieved_evidence_can_be_cited() -> None:
    with pytest.raises(CitationError, match="evidence 9"):
        number_references(_draft([9], []), EVIDENCE)


def test_validator_finds_each_problem() -> None:
    good = number_references(_draft([2], [("Passage about topic A.", [1])]), EVIDENCE)
    assert validate(good, EVIDENCE) == []

    uncited = good.model_copy(deep=True)
    uncited.sections[0].items.append(AnswerItem(text="A statement citing nothing.", citations=[]))
    assert [p.message for p in validate(uncited, EVIDENCE)] == ["statement cites nothing"]

    dangling = good.model_copy(deep=True)
    dangling.sections[0].items[0].citations = [7]
    assert any("do not exist" in p.message for p in validate(dangling, EVIDENCE))

    foreign = good.model_copy(deep=True)
    foreign.references[0].passages[0].id = "doc:zzz#0"
    assert any("was not retrieved" in p.message for p in validate(foreign, EVIDENCE))

    invented = good.model_copy(deep=True)
    invented.sections[0].items[0].text = "Topic A is cured by a remedy nobody wrote about."
    assert validate(invented, EVIDENCE) == [], "without verbatim checking a cited paraphrase passes"
    assert [p.message for p in validate(invented, EVIDENCE, verbatim=True)] == [
        "statement is not quoted from any passage it cites"]

    swapped = good.model_copy(deep=True)
    swapped.references.reverse()
    assert any("order of first citation" in p.message or "numbered" in p.message for p in validate(swapped, EVIDENCE))
    with pytest.raises(CitationError):
        check(swapped, EVIDENCE)


def test_prune_drops_what_fails_and_renumbers() -> None:
    answer = number_references(_draft([2], [("Passage about topic A.", [1]), ("Another passage of source A.", [3])]),
                               EVIDENCE)
    answer.sections[0].items.insert(0, AnswerItem(text="An invented claim.", citations=[2]))
    answer.sections[0].items.append(AnswerItem(text="An uncited claim.", citations=[]))
    pruned, dropped = prune(answer, EVIDENCE, verbatim=True)
    assert dropped == 2
    assert [i.text for i in pruned.sections[0].items] == ["Passage about topic A.", "Another passage of source A."]
    assert validate(pruned, EVIDENCE, verbatim=True) == []

    only_invented = number_references(_draft([1], [], text="Nothing like this is in the evidence."), EVIDENCE)
    pruned, dropped = prune(only_invented, EVIDENCE, verbatim=True)
    assert dropped == 1 and pruned.bottom_line.text == "" and pruned.references == []


def test_invented_statement_never_survives_on_real_evidence() -> None:
    """An extractive answer from real MedQuAD evidence, with one statement altered and one added."""
    hits = load_hits("management", Audience.CLINICIAN)
    evidence = [Evidence(i + 1, h) for i, h in enumerate(hits)]
    answer = ExtractiveComposer().compose(analyze("What are the treatments for kidney stones?"), evidence)
    assert validate(answer, evidence, verbatim=True) == []
    tampered = answer.model_copy(deep=True)
    original = tampered.sections[0].items[0].text
    tampered.sections[0].items[0].text = original.replace("may", "must always", 1) + " Antibiotics cure them."
    tampered.sections[-1].items.append(AnswerItem(text="Kidney stones dissolve in vinegar.",
                                                  citations=tampered.sections[-1].items[0].citations))
    problems = validate(tampered, evidence, verbatim=True)
    assert len(problems) == 2
    pruned, dropped = prune(tampered, evidence, verbatim=True)
    texts = [i.text for s in pruned.sections for i in s.items]
    assert "Kidney stones dissolve in vinegar." not in texts and all("Antibiotics" not in t for t in texts)
    assert dropped >= 2 and validate(pruned, evidence, verbatim=True) == []
