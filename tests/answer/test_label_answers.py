"""Answers from drug labels as a pharmacist reads them (issue 23): the section that answers, the
patient's own sections first, no sentence every label prints, follow-ups the library can answer.

Real parts: SQLite, the packaged MiniLM model and type classifier, five real openFDA labels
(tests/fixtures/openfda, public domain) and real MedQuAD pages (CC BY 4.0).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.answer.cases import service_over

from curbside.answer.service import AnswerService
from curbside.domain import Answer, InfoType
from curbside.kb.boilerplate import Boilerplate, sentence_key
from curbside.retrieval.embedder import Embedder

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PATHS = [*sorted((FIXTURES / "openfda").glob("*.json")), *sorted((FIXTURES / "kb").glob("00000*.xml"))]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> AnswerService:
    return service_over(tmp_path_factory.mktemp("labels"), embedder, PATHS, composed_only=True)


def _texts(answer: Answer) -> list[str]:
    return [answer.bottom_line.text, *(i.text for s in answer.sections for i in s.items)]


def _cited(service: AnswerService, answer: Answer) -> list[tuple[list[str], InfoType | None]]:
    found = service.kb.store.passages_by_id(answer.provenance.passage_ids)
    return [(passage.headings, passage.section_type) for _pk, passage, _source in found.values()]


def test_what_a_medicine_is_used_for_leaves_out_the_labels_chemistry(service: AnswerService) -> None:
    answer = service.ask("What is Cystadane used for?", audience="patient")
    assert not answer.abstained and answer.provenance.composer == "sections"
    assert {kind for _h, kind in _cited(service, answer)} == {InfoType.USAGE}
    assert all(h[0] != "Description" for h, _k in _cited(service, answer))
    assert "homocystinuria" in answer.bottom_line.text


def test_a_patient_asking_about_side_effects_reads_the_patient_information_first(service: AnswerService) -> None:
    answer = service.ask("What are the side effects of Fluoroplex?", audience="patient")
    assert not answer.abstained
    cited = _cited(service, answer)
    assert cited[0][0][0] == "Patient information" and cited[0][1] == InfoType.SIDE_EFFECTS


def test_a_sentence_many_sources_print_is_left_out_when_the_label_says_more(
        service: AnswerService, monkeypatch: pytest.MonkeyPatch) -> None:
    first = service.ask("What are the side effects of Surmontil?", audience="clinician")
    quoted = [t for t in _texts(first) if len(t) >= 40]
    assert len(quoted) >= 3
    # the knowledge base prints the first quoted sentence in many sources (as every label prints
    # "Because clinical trials are conducted under widely varying conditions …")
    common = Boilerplate([sentence_key(quoted[0])])
    monkeypatch.setattr(service.kb, "boilerplate", lambda: common)
    again = service.ask("What are the side effects of Surmontil?", audience="clinician")
    assert not again.abstained
    assert quoted[0] not in _texts(again)
    assert set(quoted[1:]) & set(_texts(again))


def test_a_highlights_list_and_the_full_list_are_not_both_quoted(service: AnswerService) -> None:
    answer = service.ask("What is Cystadane used for?", audience="clinician")
    lists = [" ".join(c.text for c in i.children) for s in answer.sections for i in s.items if i.children]
    assert len(lists) == len(set(lists))
    assert not any(a != b and (a in b or b in a) for a in lists for b in lists)


def test_follow_ups_ask_what_the_labels_other_sections_answer(service: AnswerService) -> None:
    answer = service.ask("What are the side effects of Surmontil?", audience="patient")
    assert answer.follow_ups
    assert all("Surmontil" in q for q in answer.follow_ups)
    assert "Who should not take Surmontil?" in answer.follow_ups
    assert not any("outlook" in q.lower() or "treatment options" in q.lower() for q in answer.follow_ups)
    assert not any("side effects" in q for q in answer.follow_ups)  # not what was just asked
    for question in answer.follow_ups[:2]:  # each is one the library answers
        assert not service.ask(question, audience="patient").abstained


def test_a_sentence_printed_everywhere_is_never_quoted(service: AnswerService, monkeypatch: pytest.MonkeyPatch) -> None:
    first = service.ask("What are the side effects of Surmontil?", audience="clinician")
    quoted = [t for t in _texts(first) if len(t) >= 40]
    class EveryLabelPrintsIt(Boilerplate):  # every sentence is printed by many sources …
        def __contains__(self, sentence: object) -> bool:
            return isinstance(sentence, str) and len(sentence) >= 40

    # … and the first one quoted by a tenth of them all: of sentences said everywhere, it alone is never quoted
    common = EveryLabelPrintsIt([], everywhere=[sentence_key(quoted[0])])
    monkeypatch.setattr(service.kb, "boilerplate", lambda: common)
    again = service.ask("What are the side effects of Surmontil?", audience="clinician")
    assert not again.abstained
    assert quoted[0] not in _texts(again)


def test_an_interaction_question_naming_a_second_medicine_quotes_what_the_label_says_of_it(
        service: AnswerService) -> None:
    named = service.ask("Can streptomycin be taken together with furosemide?", audience="clinician")
    assert not named.abstained
    assert all("furosemide" in t for t in _texts(named))
    # a medicine the label's interactions never name: none of its other interactions is quoted as the answer
    other = service.ask("Can streptomycin be taken together with metformin?", audience="clinician")
    assert other.abstained  # nor its chemistry as the "closest" statements
    assert "say nothing of taking it with metformin" in other.abstain_reason


def test_a_part_the_label_leaves_untyped_stays_untyped(service: AnswerService) -> None:
    """Inactive ingredients are no answer to "what can I take instead": the classifier does not type
    what a label itself leaves untyped (it read one as "treatment")."""
    label = next(s.id for s in service.kb.store.iter_sources() if s.title.startswith("Fluoroplex"))
    parts = {p.headings[-1]: p.section_type for p in service.kb.store.source_passages(label)}
    assert parts["What are the ingredients in FLUOROPLEX Cream?"] is None
    assert parts["What are the possible side effects of FLUOROPLEX Cream?"] is InfoType.SIDE_EFFECTS
