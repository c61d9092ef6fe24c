"""The question-type classifier: a question read by its words as well as its sentence vector."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from curbside.domain import InfoType
from curbside.kb.infotypes import classify, type_model
from curbside.ngrams import NgramFeatures
from curbside.retrieval.embedder import Embedder

#: Invented texts, none from an evaluation set.
TEXTS = ["how long will the rash of my toddler last", "can I take two of these pills together",
         "what shots does a puppy owner need", "Is it safe to drive after taking this? Is it safe?", "x"]


def test_ngram_features_match_scikit_learn() -> None:
    fitted = TfidfVectorizer(ngram_range=(1, 3), min_df=1, sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")
    expected = fitted.fit_transform(TEXTS).toarray()
    ours = NgramFeatures({g: int(i) for g, i in fitted.vocabulary_.items()}, fitted.idf_.astype(np.float32))
    assert np.allclose(ours.transform(TEXTS), expected, atol=1e-5)
    weights = np.random.default_rng(5).normal(size=(len(fitted.idf_), 3)).astype(np.float32)
    assert np.allclose(ours.dot(TEXTS, weights), expected @ weights, atol=1e-4)  # sparse: no dense matrix
    assert np.allclose(ours.dot(TEXTS, weights[:, 0]), expected @ weights[:, 0], atol=1e-4)


def test_the_packaged_model_reads_questions_by_words_and_statements_by_vector(embedder: Embedder) -> None:
    model = type_model()
    assert model.ngrams is not None and model.plain is not None
    assert model.card["ngram_scale"] == model.ngram_scale > 0
    vectors = embedder.embed(TEXTS)
    with_words = model.probabilities(vectors, TEXTS)
    plain = model.probabilities(vectors)  # statements and sections: the vector head alone
    assert np.allclose(plain, model.plain.probabilities(vectors))
    assert not np.allclose(with_words, plain)
    assert np.allclose(with_words.sum(axis=1), 1.0, atol=1e-5)
    with pytest.raises(ValueError, match="texts"):
        model.probabilities(vectors, TEXTS[:2])


@pytest.mark.parametrize(("question", "kind"), [
    ("How long is someone with the flu contagious for, roughly?", InfoType.OUTLOOK),
    ("whats the max amount of this antacid I can have in a day", InfoType.DOSAGE),
    ("What might be making my gums bleed when I floss?", InfoType.CAUSES),
])
def test_consumer_phrasings_are_read_by_their_asking_words(embedder: Embedder, question: str,
                                                           kind: InfoType) -> None:
    read = classify(embedder, [question])
    assert read is not None
    assert kind in [t for t, _ in read[0].ranked[:2]]


def test_the_card_reports_the_gain_over_vectors_alone_on_held_back_questions() -> None:
    accuracy = type_model().card["accuracy"]
    assert isinstance(accuracy, dict)
    assert accuracy["consumer_top1"] > accuracy["vectors_only_consumer_top1"]


def test_the_floor_at_which_a_type_decides_is_the_models_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model trained with ``--choose-floor`` carries its floor; an older one decides at the default, and the
    question's plan and its asked types both follow the floor the model gives."""
    from dataclasses import replace

    from curbside.answer.understand import analysis, question
    from curbside.domain import Audience, Intent
    from curbside.kb.infotypes import DEFAULT_FLOOR, TypeScores

    model = type_model()
    card = {k: v for k, v in model.card.items() if k != "intent_floor"}
    assert replace(model, card=card).floor == DEFAULT_FLOOR
    assert replace(model, card={**card, "intent_floor": 0.45}).floor == 0.45
    unsure = TypeScores(((InfoType.TREATMENT, 0.4), (InfoType.CAUSES, 0.3), (InfoType.OTHER, 0.3)))
    asked = question.Question("q", Audience.PATIENT, unsure, None, (), "", False)
    for floor, plan, types in ((0.45, Intent.GENERAL, ()), (0.35, Intent.MANAGEMENT, (InfoType.TREATMENT,))):
        strict = replace(model, card={**card, "intent_floor": floor})
        monkeypatch.setattr(analysis, "type_model", lambda strict=strict: strict)
        monkeypatch.setattr(question, "type_model", lambda strict=strict: strict)
        assert analysis._intent_for(unsure) == plan
        assert asked.asked == types


def test_a_question_asks_its_first_type_and_a_runner_up_only_when_nearly_as_likely() -> None:
    from curbside.kb.infotypes import SECOND_RATIO, TypeScores

    sure = TypeScores(((InfoType.DOSAGE, 0.7), (InfoType.SIDE_EFFECTS, 0.2), (InfoType.USAGE, 0.1)))
    assert sure.asked(floor=0.3) == (InfoType.DOSAGE,)
    close = TypeScores(((InfoType.CAUSES, 0.45), (InfoType.SUSCEPTIBILITY, 0.45 * SECOND_RATIO), (InfoType.OTHER, 0.28)))
    assert close.asked(floor=0.25) == (InfoType.CAUSES, InfoType.SUSCEPTIBILITY)
    assert close.asked(floor=0.5) == ()  # unsure: nothing is asked


def test_a_statement_gives_the_asked_type_when_read_as_it_or_as_what_the_subject_is() -> None:
    from curbside.kb.infotypes import GIVES_FLOOR, TypeScores, gives

    treatment = TypeScores(((InfoType.TREATMENT, 0.9), (InfoType.CAUSES, 0.1)))
    definition = TypeScores(((InfoType.INFORMATION, 0.8), (InfoType.CAUSES, 0.2)))
    diagnosis = TypeScores(((InfoType.DIAGNOSIS, 0.9), (InfoType.TREATMENT, GIVES_FLOOR / 2)))
    assert gives(treatment, [InfoType.TREATMENT]) and gives(definition, [InfoType.TREATMENT])
    assert not gives(diagnosis, [InfoType.TREATMENT])
    assert gives(TypeScores(((InfoType.DIAGNOSIS, 0.7), (InfoType.TREATMENT, GIVES_FLOOR))), [InfoType.TREATMENT])
    assert gives(None, [InfoType.TREATMENT]) and gives(diagnosis, [])
