"""Is a statement an answer shows on topic for its question? A learned score over what the pipeline knows.

A logistic regression trained by ``bench/statement_model.py`` on curbside's own hand labels: statements
its answers showed to consumer questions of public sets (HealthSearchQA, Curai's HealthTap questions,
MEDIQA, LiveQA, MedicationQA …), each labelled once — on topic or not — by a reader who saw only the
question and the statement (``bench/data/ontopic_labels_*.jsonl``). Its features are what the pipeline
already reads, so it learns how much each is worth instead of a rule's fixed floor: the packaged model's
cosine of question and statement, the answer model's probability (answers_model.py), the type
classifier's reading of the statement against what the question asks, how sure that reading of the
question is, whether the statement stands under a section of the asked type, the bottom line, the
closest-statement sections, whether it names the question's subject, and its length; with them the pair
features of the question's and the statement's vectors, as the answer model reads them. Weights ship in
``kb/models/statements.npz``; nothing is downloaded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from curbside.answer.select.answers_model import usable_with as answers_usable_with
from curbside.answer.select.ontopic import asking_words
from curbside.answer.understand.question import Question
from curbside.answer.understand.terms import concept_stem, concept_stems
from curbside.domain import InfoType
from curbside.kb.infotypes import type_model
from curbside.kb.infotypes import usable_with as types_usable_with
from curbside.kb.logistic import LogisticHead
from curbside.kb.synonyms import FocusIndex
from curbside.retrieval.embedder import Embedder

MODEL_FILE = Path(__file__).resolve().parent.parent.parent / "kb" / "models" / "statements.npz"

#: Where an answer shows a statement.
PLACES = ("bottom", "section", "closest", "nearest")
#: The features read off what the pipeline knows, in the order of the first weights; the question and statement
#: vectors' pair features (``q ⊙ s``, ``|q − s|``, as the answer model reads them) follow.
FEATURES = ("cosine", "answers", "gives_asked", "gives_is_asked", "gives_is_information", "type_confidence",
            "under_asked", "under_first_asked", "bottom", "closest", "nearest", "names_subject", "log_words",
            "has_items", "has_residual", "residual_named", "residual_cosine")


@dataclass(frozen=True)
class Shown:
    """One statement as an answer shows it: its text with the items under it, where it stands, and the
    section type of its heading (None for the bottom line and the closest-statement sections)."""

    text: str
    items: tuple[str, ...]
    place: str
    section_type: InfoType | None = None

    @property
    def whole(self) -> str:
        return " ".join([self.text, *self.items])


def features(question: Question, vectors: npt.NDArray[np.float32], shown: Sequence[Shown],
             embedder: Embedder) -> npt.NDArray[np.float32]:
    """One row per statement: :data:`FEATURES`, then the pair features of the question's and the statement's vectors
    (``vectors`` holds the question's vector, then each statement's)."""
    q, rows = vectors[0], vectors[1:]
    cosines = rows @ q
    answer_model = answers_usable_with(embedder)
    answers = answer_model.scores(q, rows) if answer_model is not None else cosines
    gives = type_model().read(rows) if types_usable_with(embedder) else None
    asked = question.asked or (InfoType.INFORMATION,)
    confidence = question.types.confidence if question.types is not None else 0.0
    names = [question.narrower] if question.narrower else list(question.focus.names) if question.focus else []
    # what the question asks of its subject beyond its type: its concept words that name no subject
    asking = asking_words(asked)  # "used" asks what a medicine is used for: the type, not more
    residual = [w for w in question.residual if w not in asking]
    stems = {concept_stem(w) for w in residual}
    residual_cosines = rows @ embedder.embed([" ".join(residual)])[0] if residual else np.zeros(len(shown))
    out = np.zeros((len(shown), len(FEATURES)), dtype=np.float32)
    for i, statement in enumerate(shown):
        reading = gives[i] if gives is not None else None
        out[i] = (
            float(cosines[i]), float(answers[i]),
            reading.probability(asked[0]) if reading else 0.0,
            float(reading is not None and reading.best in asked),
            float(reading is not None and reading.best == InfoType.INFORMATION),
            confidence,
            float(statement.section_type in asked), float(statement.section_type == asked[0]),
            float(statement.place == "bottom"), float(statement.place == "closest"), float(statement.place == "nearest"),
            float(bool(names) and FocusIndex.names_in(names, statement.whole)),
            math.log1p(len(statement.whole.split())), float(bool(statement.items)),
            float(bool(stems)), len(stems & concept_stems(statement.whole)) / len(stems) if stems else 0.0,
            float(residual_cosines[i]),
        )
    pairs = np.hstack([np.broadcast_to(q, rows.shape) * rows, np.abs(q - rows)]).astype(np.float32)
    return np.hstack([out, pairs])


def as_bottom(rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """The feature rows of statements as they would read standing as the answer's bottom line."""
    out = rows.copy()
    for name in ("closest", "nearest", "under_asked", "under_first_asked"):
        out[:, FEATURES.index(name)] = 0.0
    out[:, FEATURES.index("bottom")] = 1.0
    return out


class StatementModel(LogisticHead):
    def scores(self, question: Question, shown: Sequence[Shown], embedder: Embedder) -> npt.NDArray[np.float32]:
        """The probability that each statement is on topic for the question."""
        return self.readings(question, shown, embedder)[0]

    def readings(self, question: Question, shown: Sequence[Shown],
                 embedder: Embedder) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """The probability that each statement is on topic where it stands, and were it the bottom line."""
        if not shown:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.float32)
        vectors = embedder.embed([question.text, *(s.whole for s in shown)], batch_size=32)
        rows = features(question, vectors, shown, embedder)
        return self.probabilities(rows), self.probabilities(as_bottom(rows))

    @property
    def floor(self) -> float:
        """The probability below which a statement is not shown (chosen by the trainer; in the card)."""
        return float(self.card.get("floor", 0.0))  # type: ignore[arg-type]

    @property
    def bottom_margin(self) -> float:
        """By how much a statement must read better as the bottom line than the composer's to replace it (chosen by
        the trainer; in the card; without one, never)."""
        return float(self.card.get("bottom_margin", math.inf))  # type: ignore[arg-type]


@cache
def statement_model() -> StatementModel | None:
    """The packaged model, or None when it is not there (a source checkout before training)."""
    return StatementModel.load(MODEL_FILE) if MODEL_FILE.exists() else None


def usable_with(embedder: Embedder | None) -> StatementModel | None:
    """The packaged model when it reads this embedder's vectors."""
    model = statement_model()
    if embedder is None or model is None or embedder.name != model.card.get("embedding_model") \
            or model.weights.size != len(FEATURES) + 2 * embedder.dim:
        return None
    return model
