"""A lead-in never stands without its items, in any composer that reads statements off passages."""

from __future__ import annotations

from curbside.answer.base import Evidence
from curbside.answer.compose.typed import _statements
from curbside.domain import Passage, SearchHit, Source, SourceKind


def _evidence(text: str) -> Evidence:
    source = Source(id="doc:gas", kind=SourceKind.PATIENT_EDUCATION, title="Gas poisoning", publisher="Publisher",
                    year=2020, url="https://example.org/gas")
    passage = Passage(id="doc:gas#0", source_id="doc:gas", position=0, headings=["Gas poisoning"], text=text)
    return Evidence(1, SearchHit(passage=passage, source=source, score=1.0, rank=1))


def test_a_sentence_announcing_a_list_its_passage_does_not_hold_is_no_statement() -> None:
    # the passage was cut after the announcement: the list is in the next chunk, which was not retrieved
    texts = [s.text for s in _statements([_evidence(
        "The gas has no smell or colour. Breathing it in can make you ill. The most common signs of the poisoning "
        "are:")], frozenset())]
    assert texts == ["The gas has no smell or colour.", "Breathing it in can make you ill."]


def test_a_lead_in_with_its_items_is_kept_with_them() -> None:
    statements = _statements([_evidence("The most common signs of the poisoning are:\n- headache\n- dizziness\n"
                                        "- feeling sick")], frozenset())
    assert [(s.text, s.items) for s in statements] == [
        ("The most common signs of the poisoning are:", ["headache", "dizziness", "feeling sick"])]
