"""The learned subject gate: whether a question names what it is about on its own (answer/understand/standalone.py).

The questions here are invented; the model was trained on hand-labelled K-QA questions and public questions.
"""

from __future__ import annotations

import pytest

from curbside.answer.select import relevance
from curbside.answer.select.ontopic import SUBJECT_CUES, continues_elsewhere, needs_subject
from curbside.answer.select.relevance import subject_gate
from curbside.answer.understand.analysis import PriorTurn, analyze
from curbside.answer.understand.standalone import judged, standalone_model
from curbside.domain import AbstainKind, Audience


def test_the_packaged_gate_reads_the_rules_cues_and_carries_its_measurement() -> None:
    model = standalone_model()
    assert model is not None
    assert model.cues == SUBJECT_CUES
    card = model.card
    # measured on the held-back quarter of the hand labels, against the rules on the same questions
    assert card["held_out_balanced_accuracy"] > card["held_out_balanced_accuracy_rules"]  # type: ignore[operator]
    assert 0.0 < model.threshold < 1.0


@pytest.mark.parametrize("question", [
    "What would you give for a bacterial throat infection?",
    "How is a bacterial eye infection treated?",
    "What about an infected ingrown toenail, how is it treated?",
])
def test_a_named_condition_the_word_rules_refused_is_looked_up(question: str) -> None:
    analysis = analyze(question, Audience.PATIENT)
    assert needs_subject(analysis) or continues_elsewhere(analysis)  # the rules alone refused it
    assert subject_gate(analysis) is None


@pytest.mark.parametrize("question", ["Will that go away on its own?", "Would the cream help?", "What is the treatment?",
                                      "Is it catching?"])
def test_a_question_that_names_nothing_is_not_looked_up(question: str) -> None:
    gate = subject_gate(analyze(question, Audience.PATIENT))
    assert gate is not None and gate.kind == AbstainKind.NEEDS_SUBJECT
    assert "Ask" in gate.reason  # it says how to ask instead


def test_a_continuation_the_model_is_unsure_of_waits_for_its_conversation() -> None:
    analysis = analyze("What about the nasal spray?", Audience.PATIENT)
    learned = judged(analysis.question, relevance.subject_cues(analysis), SUBJECT_CUES)
    assert learned is not None and learned[0] < relevance.CONTINUES_OVERRIDE
    gate = subject_gate(analysis)
    assert gate is not None and "conversation" in gate.reason


def test_in_a_thread_the_earlier_turn_supplies_the_subject() -> None:
    first = analyze("What is impetigo?", Audience.PATIENT)
    prior = PriorTurn(first.question, first.intent, first.topic, first.entities)
    follow_up = analyze("And how about this in children?", Audience.PATIENT, previous=prior)
    assert follow_up.in_thread
    assert subject_gate(follow_up) is None
    assert subject_gate(analyze("And how about this in children?", Audience.PATIENT)) is not None


def test_without_the_packaged_model_the_word_rules_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(relevance, "judged", lambda *_args: None)
    analysis = analyze("How is a bacterial eye infection treated?", Audience.PATIENT)
    assert subject_gate(analysis) is not None  # the rules' reading, as before the model
    assert subject_gate(analyze("How is impetigo treated?", Audience.PATIENT)) is None
