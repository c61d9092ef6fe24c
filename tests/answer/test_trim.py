"""The statement model (answer/select/statement_model.py) and the trim it drives (answer/compose/trim.py): statements
under an answer's headings that the model reads as off topic are not shown; the bottom line stays unless a statement
that can stand alone reads better as one by the model's margin; the provenance keeps every reading. Real parts: the packaged MiniLM, the packaged statement and type models, sentences of a real
MedQuAD page (NIDDK, hypoglycemia; tests/fixtures/answer/sources/medquad)."""

from __future__ import annotations

import json

import pytest

from curbside.answer.compose.trim import READINGS, REPLACED, TRIMMED, trimmed
from curbside.answer.compose.typed import nearest_heading
from curbside.answer.select.statement_model import FEATURES, Shown, features, statement_model, usable_with
from curbside.answer.service import AnswerService
from curbside.answer.understand.question import Question
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
from curbside.kb.infotypes import classify
from curbside.kb.service import KnowledgeBase
from curbside.kb.synonyms import Focus
from curbside.retrieval.embedder import Embedder, HashEmbedder
from curbside.settings import Settings

#: Sentences of the NIDDK hypoglycemia page of the fixtures (its symptoms answer and its "what is" answer).
SYMPTOMS = "Hypoglycemia causes symptoms such as"
SYMPTOM_ITEMS = ("hunger", "shakiness", "nervousness", "sweating", "dizziness or light-headedness")
DURING_SLEEP = "Hypoglycemia can also happen during sleep."
FOODS = "Rice, potatoes, bread, tortillas, cereal, milk, fruit, and sweets are all carbohydrate-rich foods."
ASKED = "Which symptoms does low blood sugar (hypoglycemia) cause?"


def _question(embedder: Embedder, text: str = ASKED) -> Question:
    types = classify(embedder, [text])
    assert types
    return Question(text=text, audience=Audience.PATIENT, types=types[0],
                    focus=Focus("hypoglycemia", ("hypoglycemia", "low blood sugar"), ()), others=(), population="",
                    continues=False)


def _answer(bottom: str, foods_heading: str) -> Answer:
    """An answer citing two passages: the symptoms under "Symptoms", the sentence on foods under ``foods_heading``."""
    def ref(number: int, pid: str, text: str) -> Reference:
        return Reference(number=number, type="Patient education", title="Hypoglycemia", source_id="doc:hypo",
                         passages=[ReferencePassage(id=pid, text=text)])

    return Answer(
        question=ASKED, title="Hypoglycemia: Symptoms", audience=Audience.PATIENT, intent=Intent.SYMPTOMS,
        bottom_line=CitedText(text=bottom, citations=[1]),
        sections=[AnswerSection(heading="Symptoms", items=[
                      AnswerItem(text=SYMPTOMS, citations=[1],
                                 children=[AnswerItem(text=t, citations=[1]) for t in SYMPTOM_ITEMS])]),
                  AnswerSection(heading=foods_heading, items=[AnswerItem(text=FOODS, citations=[2])])],
        references=[ref(1, "doc:hypo#2", " ".join([SYMPTOMS, *SYMPTOM_ITEMS, DURING_SLEEP])),
                    ref(2, "doc:hypo#1", FOODS)],
        disclaimer="", provenance=Provenance(composer="sections", composer_version="1", settings_hash="",
                                             retrieval_query=ASKED))


def test_the_packaged_model_reads_the_packaged_embedder_and_says_what_it_was_trained_on(embedder: Embedder) -> None:
    model = statement_model()
    assert model is not None and usable_with(embedder) is model
    card = json.loads(json.dumps(model.card))
    assert card["features"][: len(FEATURES)] == list(FEATURES)
    assert 0.0 < model.floor < 0.5
    assert card["trained_on"] and not any(s.startswith("kqa-dev") for s in card["trained_on"])
    assert usable_with(HashEmbedder()) is None  # the hash embedder of logic tests gives no reading


def test_a_statement_on_the_asked_matter_reads_above_one_about_something_else(embedder: Embedder) -> None:
    model = statement_model()
    assert model is not None
    on, off = model.scores(_question(embedder), [Shown(SYMPTOMS, SYMPTOM_ITEMS, "section", None),
                                                 Shown(FOODS, (), "nearest")], embedder)
    assert on > model.floor > off


def test_what_a_question_asks_of_its_subject_beyond_its_type_is_read_apart_from_the_subject(embedder: Embedder) -> None:
    # "at night while asleep" is asked of hypoglycemia: not the subject's names, nor question or function words
    asked = _question(embedder, "Can low blood sugar happen at night while asleep?")
    assert asked.residual == ("night", "asleep")
    assert _question(embedder, "What is hypoglycemia?").residual == ()
    # with no subject the knowledge base names, nothing is read apart
    unnamed = Question(text=asked.text, audience=Audience.PATIENT, types=asked.types, focus=None, others=(),
                       population="", continues=False)
    assert unnamed.residual == ()


def test_a_statement_that_says_what_is_asked_of_the_subject_reads_higher(embedder: Embedder) -> None:
    model = statement_model()
    assert model is not None
    question = _question(embedder, "Can low blood sugar happen during sleep?")
    says, other = model.scores(question, [Shown(DURING_SLEEP, (), "section", None),
                                          Shown(SYMPTOMS, SYMPTOM_ITEMS, "section", None)], embedder)
    assert says > other
    row = FEATURES.index("residual_named")
    vectors = embedder.embed([question.text, DURING_SLEEP, SYMPTOMS], batch_size=8)
    read = features(question, vectors, [Shown(DURING_SLEEP, (), "section", None), Shown(SYMPTOMS, (), "section", None)],
                    embedder)
    assert read[0, row] == 1.0 and read[1, row] == 0.0


def test_an_off_topic_statement_is_not_shown_and_its_reference_goes_with_it(embedder: Embedder) -> None:
    answer = _answer(DURING_SLEEP, nearest_heading(Audience.PATIENT))
    trim = trimmed(answer, _question(embedder), embedder)
    shown = [item.text for section in trim.sections for item in section.items]
    assert shown == [SYMPTOMS]  # the list stays with its items
    assert [c.text for c in trim.sections[0].items[0].children] == list(SYMPTOM_ITEMS)
    assert [ref.number for ref in trim.references] == [1]  # nothing cites the foods' passage any more
    assert trim.provenance.dropped_statements == answer.provenance.dropped_statements + 1
    assert trim.provenance.extra[READINGS].startswith("bottom line ")
    assert "sections[0].items[0] " in trim.provenance.extra[READINGS]
    assert "sections[1]" not in trim.provenance.extra[READINGS]
    assert trim.provenance.extra[TRIMMED].startswith("1 below ")


def test_a_lead_in_with_its_items_never_replaces_the_bottom_line(embedder: Embedder) -> None:
    answer = _answer(FOODS, "Symptoms")  # the symptoms are a lead-in and its list: they cannot stand as one line
    trim = trimmed(answer, _question(embedder), embedder)
    assert trim.bottom_line == answer.bottom_line
    assert REPLACED not in trim.provenance.extra


def test_a_statement_that_reads_far_better_as_the_bottom_line_replaces_the_composers(embedder: Embedder) -> None:
    model = statement_model()
    assert model is not None and 0.0 <= model.bottom_margin < 0.5
    asked = "Can low blood sugar happen during sleep?"
    answer = _answer(FOODS, "Symptoms")
    answer = answer.model_copy(update={"question": asked, "bottom_line": CitedText(text=FOODS, citations=[2]), "sections": [
        *answer.sections[:1], AnswerSection(heading="Symptoms", items=[AnswerItem(text=DURING_SLEEP, citations=[1])])]})
    trim = trimmed(answer, _question(embedder, asked), embedder)
    assert trim.bottom_line == CitedText(text=DURING_SLEEP, citations=[1])
    shown = [item.text for section in trim.sections for item in section.items]
    assert DURING_SLEEP not in shown and FOODS not in shown  # said once; the composer's line is gone
    assert [ref.number for ref in trim.references] == [1]  # nothing cites the foods' passage any more
    before, after = (float(v) for v in trim.provenance.extra[REPLACED].split(" -> "))
    assert after - before > model.bottom_margin
    assert trim.provenance.extra[READINGS].startswith(f"bottom line {after:.2f}")
    below = int(trim.provenance.extra.get(TRIMMED, "0 below").split()[0])
    assert trim.provenance.dropped_statements == answer.provenance.dropped_statements + 1 + below


def test_unchanged_when_abstained_or_the_embedder_gives_no_reading(embedder: Embedder) -> None:
    answer = _answer(DURING_SLEEP, nearest_heading(Audience.PATIENT))
    assert trimmed(answer, _question(embedder), HashEmbedder()) == answer
    abstained = answer.model_copy(update={"abstained": True})
    assert trimmed(abstained, _question(embedder), embedder) == abstained



@pytest.mark.parametrize("trim", [True, False])
def test_the_service_reads_every_shown_statement_when_on_and_none_when_off(
        kb_settings: Settings, embedder: Embedder, trim: bool) -> None:
    assert Settings().answer.trim
    settings = kb_settings.model_copy(update={"answer": kb_settings.answer.model_copy(update={"trim": trim})})
    answer = AnswerService(settings, KnowledgeBase(settings, embedder=embedder)).ask(
        "What can cause kidney stones in adults?", audience="patient")
    assert not answer.abstained
    if not trim:
        assert READINGS not in answer.provenance.extra
        return
    readings = dict(part.rsplit(" ", 1) for part in answer.provenance.extra[READINGS].split("; "))
    shown = [f"sections[{k}].items[{i}]" for k, s in enumerate(answer.sections) for i in range(len(s.items))]
    model = statement_model()
    assert model is not None
    assert list(readings) == ["bottom line", *shown]  # each statement shown, read, and none below the floor
    assert all(float(readings[spot]) >= model.floor for spot in shown)
