"""Article titles name the topic and what is asked of it (answer/compose/titles.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.answer.compose.titles import answer_title
from curbside.answer.select.ontopic import concepts_of
from curbside.answer.service import AnswerService
from curbside.answer.understand.analysis import analyze, title_for
from curbside.domain import Audience, Intent
from curbside.settings import Settings


@pytest.mark.parametrize(("question", "title"), [
    ("Is coffee bad for you?", "Coffee: What the Evidence Says"),
    ("Is Milk Good for Our Bones?", "Milk and Bones: What the Evidence Says"),
    ("Is Gluten Sensitivity Real?", "Gluten Sensitivity: What the Evidence Says"),
    ("Do Antidepressant Drugs Really Work?", "Antidepressant: How Well It Works"),
    ("How much cinnamon is too much?", "Cinnamon: How Much"),
    ("What is the prednisone for?", "Prednisone: What It Is Used For"),
    ("Which doctor should i go to for vertigo", "Vertigo: Which Doctor to See"),
    ("Could it be pink eye?", "Pink Eye: Signs to Look For"),
    ("What is an example of a topical steroid", "Topical Steroid: Examples"),
    ("If I took trazodone when would be the best time to take it?", "Trazodone: When to Take It"),
    # MedQuAD's drug questions: the words that ask leave the topic
    ("Who should get Acetaminophen and why is it prescribed?", "Acetaminophen: What It Is Used For"),
    ("How should Abacavir be used and what is the dosage?", "Abacavir: How Much"),
    ("What are the side effects or risks of Abacavir?", "Abacavir: Side Effects"),
    ("Anything for cough?", "Relief for Cough"), ("What can I use for the itch?", "Relief for Itch"),
    # no ask: the intent's title; a remedy is not what is treated
    ("What is sciatica", "Sciatica: The Basics"), ("How is PID treated?", "Treating PID"),
    ("Do bananas help with diarrhea?", "Bananas and Diarrhea: The Basics"),
    ("To Snack or Not to Snack?", "Snack: The Basics"),
    ("What are the best sources of vitamin K?", "Best Sources of Vitamin K: The Basics"),
])
def test_a_patient_question_is_titled_by_its_topic_and_ask(question: str, title: str) -> None:
    analysis = analyze(question, Audience.PATIENT)
    assert answer_title(analysis, concepts_of(analysis)) == title


def test_a_topic_that_already_says_the_intent_is_not_said_twice() -> None:
    assert title_for(Intent.PREVENTION, Audience.PATIENT, "preventing brain loss") == "Preventing Brain Loss"
    assert title_for(Intent.PREVENTION, Audience.PATIENT, "brain loss") == "Preventing Brain Loss"


def test_a_topic_that_names_the_intent_later_is_not_given_it_again() -> None:
    assert title_for(Intent.PREVENTION, Audience.PATIENT, "best diet for kidney stone prevention") == \
        "Best Diet for Kidney Stone Prevention"
    # a clinician's noun phrase is kept whole, with its intent
    assert title_for(Intent.MANAGEMENT, Audience.CLINICIAN,
                     "non-specific calcifications in the soft tissue of the inferior right calf") == \
        "Management of Non-Specific Calcifications in the Soft Tissue of the Inferior Right Calf"


def test_an_unanswered_question_is_titled_as_an_answered_one(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", starter_pack=False)
    answer = AnswerService(settings).answer_from_hits("What is the most safe amount of Advil to take at one time?",
                                                      [], audience="patient")
    assert answer.abstained and answer.title == "Advil: How Much"
