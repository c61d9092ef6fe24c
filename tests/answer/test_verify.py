"""Statement verification: logic with a deterministic embedder, semantics with the real model.

Evidence is real (MedQuAD NHLBI/MedlinePlus "Anemia", PubMedQA PMID 21276532; see
tests/fixtures/answer/llm_README.md). Supported statements are copied or closely reworded from
that evidence; unsupported ones are deliberately invented so that the test can show they die.
"""

from __future__ import annotations

import pytest
from tests.answer.llm_evidence import CAUSES, MPLUS, RESULTS, SYMPTOMS, WHAT_IS, evidence

from curbside.answer.verify import (
    CitedSource,
    Verifier,
    common_words,
    direction_cues,
    parse_markers,
    support_rate,
    support_report,
    verify_parts,
)
from curbside.domain import (
    Answer,
    AnswerItem,
    AnswerSection,
    Audience,
    CitedText,
    Intent,
    Provenance,
    Reference,
    ReferencePassage,
)
from curbside.retrieval.embedder import Embedder

THRESHOLD = 0.55
INVENTED = "Aminochrominemia is a lack of carnitine."
INVENTED_IN_FAITHFUL_WORDS = ("Aminochrominemia is a condition in which your blood has a lower "
                              "than normal number of red blood cells.")


@pytest.fixture
def real_verifier(embedder: Embedder) -> Verifier:
    return Verifier.for_evidence(evidence([WHAT_IS, CAUSES, SYMPTOMS, RESULTS, MPLUS]), embedder,
                                 support_threshold=THRESHOLD)


# --- logic (deterministic hash embedder) ---------------------------------------------------------

PLACEHOLDERS = {1: CitedSource("Passage about topic A. Topic A has three parts and 12 sides."),
                2: CitedSource("Passage about topic B. Topic B is measured in 5 units.")}


def test_unknown_citation_numbers_are_rejected(hash_embedder: Embedder) -> None:
    verifier = Verifier(PLACEHOLDERS, hash_embedder, support_threshold=0.5)
    kept, dropped = verifier.check([("Topic A has three parts and 12 sides.", [1, 7]),
                                    ("Topic A has three parts and 12 sides.", [9])])
    assert kept.supported and kept.citations == (1,) and kept.rejected == (7,)
    assert not dropped.supported and dropped.failures[0] == "citation" and dropped.rejected == (9,)


def test_a_number_missing_from_the_cited_evidence_fails(hash_embedder: Embedder) -> None:
    verifier = Verifier(PLACEHOLDERS, hash_embedder, support_threshold=0.5)
    good, wrong_number, wrong_source = verifier.check([
        ("Topic B is measured in 5 units.", [2]),
        ("Topic B is measured in 6 units.", [2]),
        ("Topic B is measured in 5 units.", [1]),
    ])
    assert good.supported
    assert "number" in wrong_number.failures and wrong_number.missing_numbers == ("6",)
    assert "number" in wrong_source.failures and wrong_source.missing_numbers == ("5",)


def test_parse_markers_reads_inline_citations_and_list_enumerators() -> None:
    assert parse_markers("1. Topic A has parts [1, 3]. More [2-4].") == ("Topic A has parts. More.",
                                                                      [1, 3, 2, 3, 4])
    assert parse_markers("- plain text") == ("plain text", [])


def test_verify_parts_tree_rules(hash_embedder: Embedder) -> None:
    verifier = Verifier(PLACEHOLDERS, hash_embedder, support_threshold=0.5)
    sections = [
        AnswerSection(heading="First", items=[
            # Unsupported parent (unknown source): its supported child takes its place.
            AnswerItem(text="Something nobody wrote.", citations=[8], children=[
                AnswerItem(text="Topic B is measured in 5 units.", citations=[2])]),
            # Supported parent; the child without citations inherits [1]; an invented child dies.
            AnswerItem(text="Passage about topic A [1]. Topic A has 40 sides.", children=[
                AnswerItem(text="Topic A has three parts and 12 sides."),
                AnswerItem(text="Unrelated words entirely here.", citations=[1])]),
        ]),
        AnswerSection(heading="Empty after checks", items=[AnswerItem(text="Nothing here.", citations=[5])]),
    ]
    parts = verify_parts(CitedText(text="Made up sentence.", citations=[1]), sections, verifier)
    assert parts.bottom_line is None
    assert [s.heading for s in parts.sections] == ["First"]
    items = parts.sections[0].items
    assert [(i.text, i.citations) for i in items] == [("Topic B is measured in 5 units.", [2]),
                                                      ("Passage about topic A.", [1])]
    assert [(c.text, c.citations) for c in items[1].children] == [("Topic A has three parts and 12 sides.", [1])]
    report = parts.report
    assert report.checked == 8 and report.kept == 3 and report.dropped == 5
    assert report.failures["citation"] == 2 and report.failures["number"] == 1
    extra = report.to_extra()
    assert extra["verify_dropped"] == "5" and extra["verify_failed_citation"] == "2"
    assert extra["verify_rejected_citations"] == "2"


# --- semantics (the real packaged embedding model) -----------------------------------------------


def test_invented_disease_is_dropped(real_verifier: Verifier) -> None:
    plain, disguised = real_verifier.check([(INVENTED, [1]), (INVENTED_IN_FAITHFUL_WORDS, [1])])
    assert not plain.supported and "term" in plain.failures and "semantic" in plain.failures
    assert not disguised.supported and "Aminochrominemia" in disguised.novel_terms


def test_faithful_statements_survive(real_verifier: Verifier) -> None:
    checks = real_verifier.check([
        ("Anemia is a condition in which your blood has a lower than normal number of red blood cells.", [1]),
        ("Anemia is a condition in which the blood has fewer red blood cells than normal.", [1]),
        ("Blood loss is the most common cause of anemia, especially iron-deficiency anemia.", [2]),
        ("The most common symptom of anemia is fatigue (feeling tired or weak).", [3]),
        ("Compared with nonanemic patients, those with severe anemia were more likely to have the "
         "adverse composite outcome, with an odds ratio of 1.83.", [4]),
        ("Anemia also can occur if your red blood cells don't contain enough hemoglobin.", [1]),
        ("Patients with a normal hematocrit had a reduced hospital LOS.", [4]),
    ])
    assert [c.failures for c in checks] == [()] * 7
    assert all(c.semantic >= THRESHOLD for c in checks)


def test_unsupported_statements_fail_the_right_check(real_verifier: Verifier) -> None:
    wrong_number, substance, wrong_source, off_topic = real_verifier.check([
        ("Compared with nonanemic patients, those with severe anemia had an odds ratio of 2.83.", [4]),
        ("Anemia is caused by a lack of carnitine in the muscles.", [1, 2]),
        ("The most common symptom of anemia is fatigue.", [2]),  # true elsewhere, not in [2]
        ("Iron supplements cure all types of anemia within a week.", [1, 2]),
    ])
    assert wrong_number.failures == ("number",) and wrong_number.missing_numbers == ("2.83",)
    assert "term" in substance.failures and substance.novel_terms == ("carnitine",)
    assert not wrong_source.supported and "lexical" in wrong_source.failures
    assert not off_topic.supported and "lexical" in off_topic.failures


def test_flipped_claims_fail_the_direction_check(real_verifier: Verifier) -> None:
    # What SmolLM2-135M wrote from this evidence: fluent, similar, and the opposite of [1].
    too_many, dropped_not, longer = real_verifier.check([
        ("Anemia also can occur if you have too many red blood cells.", [1]),
        ("Anemia also can occur if your red blood cells contain enough hemoglobin.", [1]),
        ("Patients with a normal hematocrit had a longer hospital LOS.", [4]),
    ])
    assert too_many.failures == ("direction",) and too_many.flipped == ("up",)
    assert too_many.semantic >= THRESHOLD and too_many.lexical == 1.0  # similarity alone would pass
    assert dropped_not.failures == ("direction",) and dropped_not.flipped == ("no-not",)
    assert longer.failures == ("direction",) and longer.flipped == ("up",)
    assert direction_cues("It does not rise; levels fall lower.") == {"not", "up", "down"}


def test_common_words_come_from_the_packaged_vocabulary() -> None:
    vocab = common_words()
    assert len(vocab) > 10_000 and "blood" in vocab and "aminochrominemia" not in vocab


def _answer(bottom: str, items: list[AnswerItem]) -> Answer:
    ev = evidence([WHAT_IS, RESULTS])
    refs = [Reference(number=i + 1, type="Patient education", title=e.hit.source.title,
                      passages=[ReferencePassage(id=e.hit.passage.id, text=e.hit.passage.text)])
            for i, e in enumerate(ev)]
    return Answer(question="What's anemia?", title="Anemia", audience=Audience.PATIENT,
                  intent=Intent.GENERAL, bottom_line=CitedText(text=bottom, citations=[1]),
                  sections=[AnswerSection(heading="Understanding", items=items)], references=refs,
                  disclaimer="", provenance=Provenance(composer="test", composer_version="0",
                                                       settings_hash="x", retrieval_query="anemia"))


def test_support_rate_of_a_finished_answer(embedder: Embedder) -> None:
    answer = _answer(
        "Anemia is a condition in which your blood has a lower than normal number of red blood cells.",
        [AnswerItem(text="Hemoglobin is an iron-rich protein that gives blood its red color.", citations=[1]),
         AnswerItem(text=INVENTED, citations=[1]),
         AnswerItem(text="Patients with a normal hematocrit had a reduced hospital LOS (p<0.01).",
                    citations=[2])])
    ev = evidence([WHAT_IS, RESULTS])
    assert support_rate(answer, ev, embedder=embedder) == pytest.approx(3 / 4)
    report = support_report(answer, ev, embedder=embedder)
    assert report.failures["term"] == 1 and report.dropped == 1
    # Without the evidence list the reference passages' own text is used.
    assert support_rate(answer, [], embedder=embedder) == pytest.approx(3 / 4)
    empty = answer.model_copy(update={"bottom_line": CitedText(text=""), "sections": []})
    assert support_rate(empty, ev, embedder=embedder) == 1.0
