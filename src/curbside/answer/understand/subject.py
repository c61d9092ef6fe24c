"""Which of the things a message names it asks about: a learned ranking of the subjects found.

A long message names several things the knowledge base has pages for — the condition asked about,
the medicines the writer takes, a test, a relative's illness — and only one is what the question is
about. Taking the longest name (the order :meth:`FocusIndex.find` returns) picks the wrong one about
half the time. Each candidate gets a few features: where the message first names it, whether an
asking sentence names it, how often it is named, its length in words, how many sources carry the
name, how common its rarest word is among the knowledge base's names, its place in the
longest-first order, the packaged model's cosine between the name and the asking sentences,
whether the first sentence names it, whether a drug label carries it, whether the sentence before the
first question names it ("My son has asthma. What can we do about it?"), whether it is the only
candidate, and the cosine between the name and that sentence with the first question. Positions count
from the first sentence that asks or names a candidate: a greeting or a contact line before it
("Hello doctor, I am [NAME].") is not where the message starts. A logistic regression over them,
trained by ``scripts/train_models.py --model subject`` on public labelled data (MEDIQA 2019 RQE
pairs: a message and a shorter question every answer of which answers it; the subject the short
question keeps is the message's subject), scores them; the best comes first.

Weights ship in ``kb/models/subject.npz`` (a few hundred bytes); nothing is downloaded. Without the
model or an embedder the longest-first order stands.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from curbside.kb.logistic import LogisticHead
from curbside.kb.synonyms import Focus, FocusIndex, key_of
from curbside.retrieval.embedder import Embedder
from curbside.text import split_sentences

MODEL_FILE = Path(__file__).resolve().parent.parent.parent / "kb" / "models" / "subject.npz"
#: A candidate the model gives a lower probability of being what the message asks about is not taken as
#: its subject (the calibrated decision boundary: more likely not than so); none left, none is known.
SUBJECT_FLOOR = 0.5
FEATURES = ("first_position", "in_asking", "log_mentions", "words", "log_sources", "word_frequency",
            "longest_first_rank", "cosine_with_asking", "in_first_sentence", "drug_label", "before_asking",
            "only_candidate", "cosine_with_context")


def asking_sentences(text: str) -> str:
    """The sentences that ask (ending in a question mark), else the whole text."""
    asked = [s for s in split_sentences(text) if s.rstrip().endswith("?")]
    return " ".join(asked) if asked else text


def features(text: str, found: Sequence[Focus], focus_index: FocusIndex,
             embedder: Embedder) -> npt.NDArray[np.float32]:
    """One row of :data:`FEATURES` per candidate subject of ``text``, in the order given."""
    # the message starts where it first asks or names a candidate: a greeting or a contact line before that
    # ("Hello doctor, I am [NAME], phone [PHONE].") is not its first sentence, nor part of where names sit
    sentences = [s for s in split_sentences(text)
                 if s.rstrip().endswith("?") or any(f" {f.name} " in f" {key_of(s)} " for f in found)] or [text]
    haystack = f" {key_of(' '.join(sentences))} "
    asking = asking_sentences(text)
    asked = f" {key_of(asking)} "
    first = f" {key_of(sentences[0])} "
    # the sentence the first question follows ("My son has asthma. What can we do about it?")
    ask_at = next((i for i, sentence in enumerate(sentences) if sentence.rstrip().endswith("?")), 0)
    before = f" {key_of(sentences[ask_at - 1])} " if ask_at > 0 else ""
    # the first question with the sentence it follows: what "it" in "How do I make it stop?" is
    context = " ".join(sentences[max(ask_at - 1, 0):ask_at + 1])
    vectors = embedder.embed([asking, context, *(f.name for f in found)])
    rows = []
    for i, focus in enumerate(found):
        name = f" {focus.name} "
        at = haystack.find(name)
        rows.append([
            max(at, 0) / max(len(haystack), 1), float(name in asked), math.log1p(haystack.count(name)),
            len(focus.name.split()), math.log1p(len(focus.source_ids)),
            min(focus_index.word_frequency(w) for w in focus.name.split()) / 100.0, i / len(found),
            float(vectors[i + 2] @ vectors[0]), float(name in first),
            float(any(s.startswith("dailymed:") for s in focus.source_ids)), float(name in before),
            float(len(found) == 1), float(vectors[i + 2] @ vectors[1]),
        ])
    return np.asarray(rows, dtype=np.float32)


class SubjectModel(LogisticHead):
    def scores(self, rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """The model's probability that each candidate is the subject."""
        return self.probabilities(rows)


@cache
def subject_model() -> SubjectModel | None:
    """The packaged model, or None when it is not there (a source checkout before training)."""
    return SubjectModel.load(MODEL_FILE) if MODEL_FILE.exists() else None


def rank_subjects(text: str, found: Sequence[Focus], focus_index: FocusIndex,
                  embedder: Embedder | None) -> list[Focus]:
    """``found`` with the subject the message most likely asks about first (ties keep their order), less
    those the model reads as more likely not what it asks about (:data:`SUBJECT_FLOOR`)."""
    model = subject_model()
    if not found or model is None or embedder is None or model.card.get("embedding_model") != embedder.name:
        return list(found)
    scores = model.scores(features(text, found, focus_index, embedder))
    order = sorted(range(len(found)), key=lambda i: (-float(scores[i]), i))
    return [found[i] for i in order if scores[i] >= SUBJECT_FLOOR]
