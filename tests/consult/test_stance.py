"""Stance and contradiction rules (pure logic on fixed, non-medical-claim text)."""

from __future__ import annotations

from curbside.consult.stance import Stance, contradiction, stance_of
from curbside.domain import Answer, AnswerItem, AnswerSection, Audience, CitedText, Intent, Notice, Provenance


def _answer(text: str, *, urgent_notice: str = "") -> Answer:
    return Answer(question="q", title="t", audience=Audience.PATIENT, intent=Intent.GENERAL,
                  bottom_line=CitedText(text=text), sections=[AnswerSection(heading="H", items=[AnswerItem(text=text)])],
                  notices=[Notice(kind="emergency", text=urgent_notice, urgent=True)] if urgent_notice else [],
                  disclaimer="", provenance=Provenance(composer="x", composer_version="1", settings_hash="",
                                                       retrieval_query="q"))


def test_stances() -> None:
    assert stance_of("It is benign; observation is sufficient.")[0] == Stance.REASSURING
    assert stance_of("Go to the emergency department immediately.")[0] == Stance.URGENT
    assert stance_of("This is not urgent and it is harmless.")[0] == Stance.REASSURING
    assert stance_of("There is no emergency, but see a doctor if it grows.")[0] == Stance.NEUTRAL
    assert stance_of("Placeholder text about topic A.")[0] == Stance.NEUTRAL


def test_benign_reply_against_urgent_expansion() -> None:
    note = contradiction("It is benign and does not require any follow-up.", _answer("Seek care immediately."))
    assert "reassures" in note and "urges" in note


def test_urgent_reply_against_reassuring_expansion() -> None:
    note = contradiction("Go to the emergency department right away.", _answer("It is harmless and self-limiting."))
    assert note.startswith("The doctor's reply urges care")


def test_an_urgent_notice_counts_and_agreement_is_not_a_contradiction() -> None:
    assert contradiction("It is benign.", _answer("Placeholder.", urgent_notice="Call 911 right away."))
    assert contradiction("Go to the emergency room now.", _answer("Call 911 right away.")) == ""
    assert contradiction("Placeholder reply.", _answer("Seek care immediately.")) == ""


def test_benign_said_of_something_else_is_not_reassurance() -> None:
    # A MedQuAD description of a syndrome with "abnormal benign growths" is not a reassuring reply.
    assert stance_of("Typical symptoms include hemangiomas (abnormal benign growths) of the skin.")[0] == Stance.NEUTRAL
    assert stance_of("These are typically benign subcutaneous masses.")[0] == Stance.REASSURING
