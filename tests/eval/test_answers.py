"""Answer evaluation metrics on hand-built answers, scored with the real packaged model."""

from __future__ import annotations

from pathlib import Path

import pytest

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
from curbside.errors import InputError
from curbside.eval.answers import (
    QAItem,
    answer_statements,
    checked_statements,
    coverage,
    dangling_leadins,
    evaluate_answers,
    load_qa,
    rouge_l,
    token_f1,
)
from curbside.retrieval.embedder import Embedder

# Real MedlinePlus text (MedQuAD 4_MPlus_Health_Topics_QA/0000065.xml, CC BY 4.0).
EVIDENCE = ("Asthma is a chronic disease that affects your airways. Your airways are tubes that carry air in and out "
            "of your lungs. If you have asthma, the inside walls of your airways become sore and swollen.")


def _answer(statement: str, citations: list[int]) -> Answer:
    return Answer(
        question="What is asthma?", title="Asthma", audience=Audience.PATIENT, intent=Intent.GENERAL,
        bottom_line=CitedText(text=statement, citations=citations),
        sections=[AnswerSection(heading="Understanding", items=[AnswerItem(
            text="Your airways are tubes that carry air in and out of your lungs.", citations=[1])])],
        references=[Reference(number=1, type="Patient education", title="Asthma",
                              passages=[ReferencePassage(id="medquad:x#0", text=EVIDENCE)])],
        disclaimer="d", provenance=Provenance(composer="test", composer_version="0", settings_hash="x", retrieval_query="asthma"),
    )


def test_statements_and_rouge() -> None:
    answer = _answer("Asthma is a chronic disease that affects your airways.", [1])
    assert answer_statements(answer) == [
        ("Asthma is a chronic disease that affects your airways.", [1]),
        ("Your airways are tubes that carry air in and out of your lungs.", [1]),
    ]
    assert rouge_l("Asthma is a chronic disease.", "Asthma is a chronic disease.") == pytest.approx(1.0)
    assert rouge_l("Asthma is a chronic disease.", "") == 0.0


def test_a_bottom_line_that_introduces_a_list_it_lacks_counts_as_a_dangling_lead_in() -> None:
    assert dangling_leadins(_answer("Asthma is a chronic disease that affects your airways.", [1])) == 0
    assert dangling_leadins(_answer("The most common signs of asthma are:", [1])) == 1


def test_coverage_uses_semantic_matches(embedder: Embedder) -> None:
    reference = ["Asthma is a long-term disease of the airways.", "Bananas are yellow fruit."]
    got = ["Asthma is a chronic disease that affects your airways."]
    assert coverage(reference, got, embedder, 0.6) == pytest.approx(0.5)
    assert coverage(reference, [], embedder, 0.6) == 0.0


def test_evaluate_reports_support_and_baseline(embedder: Embedder) -> None:
    items = [QAItem(question="What is asthma?", answer="Asthma is a chronic disease that affects your airways.")]
    faithful = evaluate_answers(items, lambda _: _answer("Asthma is a chronic disease that affects your airways.", [1]),
                                lambda _: EVIDENCE, embedder)
    invented = evaluate_answers(items, lambda _: _answer("Aminochrominemia is a lack of carnitine in 42% of people.", [1]),
                                lambda _: EVIDENCE, embedder)
    assert faithful.questions[0].support_rate == pytest.approx(1.0)
    assert invented.questions[0].support_rate == pytest.approx(0.5), "the invented statement is not supported"
    assert faithful.questions[0].coverage == 1.0
    overall = faithful.overall()
    assert overall["baseline_coverage_answered"] == 1.0 and overall["answered_share"] == 1.0


def test_failed_question_is_recorded_not_fatal(embedder: Embedder) -> None:
    def boom(_: QAItem) -> Answer:
        raise RuntimeError("backend down")

    report = evaluate_answers([QAItem(question="q", must_have=["x"])], boom, lambda _: "", embedder)
    assert "backend down" in report.questions[0].error


def test_load_qa_reports_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "qa.jsonl"
    path.write_text('{"question": "a", "answer": "b"}\n{"question": "c"}\n')
    with pytest.raises(InputError, match=r"qa.jsonl:2"):
        load_qa(path)


def test_a_list_item_is_checked_with_its_lead_in() -> None:
    answer = _answer("Asthma is a chronic disease that affects your airways.", [1])
    answer.sections[0].items[0].text = "If you have asthma:"
    answer.sections[0].items[0].children = [AnswerItem(text="the inside walls of your airways", citations=[1])]
    checked = [text for text, _ in checked_statements(answer)]
    assert "If you have asthma: the inside walls of your airways" in checked
    assert "the inside walls of your airways" not in checked


def test_a_lead_in_without_a_colon_is_read_with_its_items() -> None:
    answer = _answer("Asthma is a chronic disease that affects your airways.", [1])
    answer.sections[0].items[0].text = "Your airways are tubes that carry"
    answer.sections[0].items[0].children = [AnswerItem(text="air in and out of your lungs", citations=[1])]
    assert "Your airways are tubes that carry air in and out of your lungs" in [t for t, _ in checked_statements(answer)]


def test_token_f1_counts_shared_words_as_often_as_both_say_them() -> None:
    assert token_f1("Your airways become sore.", "your AIRWAYS become sore") == 1.0
    # 2 shared of 4 candidate words and of 3 reference words: P 0.5, R 2/3
    assert abs(token_f1("airways become sore", "airways sore sore lungs") - 2 * 0.5 * (2 / 3) / (0.5 + 2 / 3)) < 1e-9
    assert token_f1("asthma", "") == 0.0 and token_f1("", "asthma") == 0.0
