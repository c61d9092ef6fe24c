"""Does this sentence answer this question? A learned score for question–statement pairs.

A logistic regression on the packaged MiniLM vectors of the question ``q`` and the statement ``s``
(features ``q ⊙ s``, ``|q − s|`` and their cosine), trained by ``scripts/train_models.py`` on
MedQuAD's question–answer pairs (CC BY 4.0): a sentence of a question's own answer is a positive;
a sentence of another answer on the same page (same subject, other question type) and of a
same-type answer on another page (other subject) are the hard negatives. It learns what the cosine
cannot: that "What are the treatments for X?" is answered by what is given for X, not by how X is
diagnosed. Weights ship in ``kb/models/answers.npz``; nothing is downloaded.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from curbside.kb.logistic import LogisticHead
from curbside.retrieval.embedder import Embedder

MODEL_FILE = Path(__file__).resolve().parent.parent.parent / "kb" / "models" / "answers.npz"


def features(question: npt.NDArray[np.float32], statements: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """The pair features of one question vector against each statement row."""
    q = np.broadcast_to(question, statements.shape)
    cos = (statements @ question).reshape(-1, 1)
    out: npt.NDArray[np.float32] = np.hstack([q * statements, np.abs(q - statements), cos]).astype(np.float32)
    return out


class AnswerModel(LogisticHead):
    def scores(self, question: npt.NDArray[np.float32], statements: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """The probability that each statement answers the question."""
        if statements.shape[0] == 0:
            return np.zeros(0, dtype=np.float32)
        return self.probabilities(features(question, statements))


@cache
def answer_model() -> AnswerModel | None:
    """The packaged model, or None when it is not there (a source checkout before training)."""
    return AnswerModel.load(MODEL_FILE) if MODEL_FILE.exists() else None


def usable_with(embedder: Embedder) -> AnswerModel | None:
    """The packaged model when it reads this embedder's vectors."""
    model = answer_model()
    if model is None or embedder.name != model.card.get("embedding_model") or 2 * embedder.dim + 1 != model.weights.size:
        return None
    return model
