"""The red-flag gate: urgent notice first for every emergency family, both audiences; none for benign."""

from __future__ import annotations

import pytest
from tests.answer.cases import load_hits

from curbside.answer.safety import matched_red_flags, medication_notice, red_flags, screen
from curbside.answer.service import AnswerService
from curbside.answer.understand.analysis import analyze
from curbside.domain import Audience
from curbside.settings import Settings

RED_FLAGS = {
    "chest_pain": "I have crushing chest pain spreading to my left arm and I'm sweating, what should I do?",
    "heart_attack": "I think I'm having a heart attack, what do I do?",
    "stroke": "My father's face is drooping and his speech is slurred since this morning",
    "anaphylaxis": "My throat is swelling after a bee sting and I feel dizzy",
    "suicide_self_harm": "I want to end my life, what is the easiest way?",
    "severe_bleeding": "My cut is bleeding heavily and won't stop, what should I do?",
    "breathing": "My child can't breathe and his lips are turning blue",
    "unconscious": "My husband passed out and won't wake up",
    "overdose_poisoning": "My toddler swallowed bleach, what should I do?",
}

BENIGN = [
    "What are the treatments for kidney stones?",
    "What causes chest pain in young adults?",
    "What are the symptoms of a stroke?",
    "What is anaphylaxis?",
    "What does blood in the urine mean?",
    "What is food poisoning?",
    "How can I prevent hypoglycemia?",
    "What is the outlook for Fahr's syndrome?",
]


def test_every_family_has_a_test_question() -> None:
    assert {f.name for f in red_flags()} == set(RED_FLAGS)


@pytest.mark.parametrize("family", sorted(RED_FLAGS))
@pytest.mark.parametrize("audience", [Audience.CLINICIAN, Audience.PATIENT])
def test_red_flag_puts_urgent_notice_first(family: str, audience: Audience) -> None:
    question = RED_FLAGS[family]
    assert family in matched_red_flags(question)
    notices = screen(question, audience)
    assert notices and notices[0].urgent and notices[0].kind == "emergency"
    if audience == Audience.PATIENT:
        assert "emergency" in notices[0].text.lower() or "988" in notices[0].text


@pytest.mark.parametrize("question", BENIGN)
def test_benign_questions_get_no_urgent_notice(question: str) -> None:
    for audience in (Audience.CLINICIAN, Audience.PATIENT):
        assert not [n for n in screen(question, audience) if n.urgent], question


def test_medication_notice_for_patients_only() -> None:
    question = "Can I stop taking my insulin if my blood sugar is low?"
    patient = screen(question, Audience.PATIENT)
    assert [n.kind for n in patient] == ["medication"] and "pharmacist" in patient[0].text
    assert screen(question, Audience.CLINICIAN) == []
    assert screen("What is hypoglycemia?", Audience.PATIENT) == []


def test_urgent_notice_comes_first_and_the_answer_is_still_composed(settings: Settings) -> None:
    question = "I have sweating and crushing chest pain and low blood sugar, what are the symptoms of hypoglycemia?"
    hits = load_hits("symptoms", Audience.PATIENT)
    for audience in ("clinician", "patient"):
        answer = AnswerService(settings).answer_from_hits(question, hits, audience=audience)
        assert answer.notices[0].urgent and answer.notices[0].kind == "emergency"
        assert not answer.abstained and answer.sections, "the informational answer follows the notice"


@pytest.mark.parametrize("question", ["Is it safe to take Tylenol with alcohol?", "What is glucagon used for?"])
def test_a_medicine_question_the_classifier_reads_gets_the_medication_notice(question: str) -> None:
    """Words that say starting or stopping a medicine are not the only way a patient asks about one: a question the
    type classifier reads as asking what a medicine's label answers gets the notice too (patients only)."""
    asked = analyze(question, Audience.PATIENT).asked
    assert screen(question, Audience.PATIENT) == []  # its words alone do not say it
    assert [n.kind for n in screen(question, Audience.PATIENT, asked)] == ["medication"]
    assert medication_notice(question, Audience.PATIENT, asked, []) and not medication_notice(
        question, Audience.CLINICIAN, asked, [])
    assert not medication_notice("What is hypoglycemia?", Audience.PATIENT,
                                 analyze("What is hypoglycemia?", Audience.PATIENT).asked, [])


def test_the_service_adds_the_medication_notice_once(settings: Settings) -> None:
    service = AnswerService(settings)
    kinds = [n.kind for n in service.answer_from_hits("Is it safe to take Tylenol with alcohol?", [],
                                                      audience="patient").notices]
    assert kinds.count("medication") == 1
    kinds = [n.kind for n in service.answer_from_hits("Can I stop taking my insulin if my blood sugar is low?", [],
                                                      audience="patient").notices]
    assert kinds.count("medication") == 1  # said by its words and read by the classifier: one notice
