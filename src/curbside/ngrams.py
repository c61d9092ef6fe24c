"""TF-IDF of a text's word n-grams with a fitted vocabulary, computed as scikit-learn computes it, with numpy
alone at run time (scikit-learn fits the vocabulary and the weights, in the training scripts only): the
question-type model (``kb/infotypes.py``) and the injection classifier (``ingest/injection.py``) read it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: A word as the n-gram features read it (scikit-learn's ``(?u)\b\w+\b``, lower case).
NGRAM_TOKEN = re.compile(r"(?u)\b\w+\b")


@dataclass(frozen=True)
class NgramFeatures:
    """TF-IDF of a text's word 1- to ``n``-grams, as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``
    computes it with a fitted vocabulary and IDF: ``(1 + ln count) · idf``, L2-normalised per text."""

    vocabulary: dict[str, int]
    idf: npt.NDArray[np.float32]
    n: int = 3

    def _row(self, text: str) -> tuple[list[int], npt.NDArray[np.float32]]:
        """The columns a text has and their L2-normalised TF-IDF values."""
        tokens = NGRAM_TOKEN.findall(text.lower())
        grams = Counter(" ".join(tokens[i : i + k]) for k in range(1, self.n + 1) for i in range(len(tokens) - k + 1))
        columns = [c for gram in grams if (c := self.vocabulary.get(gram)) is not None]
        counts = [grams[gram] for gram in grams if gram in self.vocabulary]
        values = (1.0 + np.log(np.array(counts, dtype=np.float32))) * self.idf[columns] if columns \
            else np.zeros(0, dtype=np.float32)
        norm = float(np.linalg.norm(values))
        return columns, (values / norm if norm else values).astype(np.float32)

    def transform(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), len(self.idf)), dtype=np.float32)
        for row, text in enumerate(texts):
            columns, values = self._row(text)
            out[row, columns] = values
        return out

    def dot(self, texts: Sequence[str], weights: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """``transform(texts) @ weights`` without the dense matrix (``weights``: one row per n-gram): many
        texts at once cost memory in proportion to their words, not to the vocabulary."""
        out = np.zeros((len(texts), *weights.shape[1:]), dtype=np.float32)
        for row, text in enumerate(texts):
            columns, values = self._row(text)
            if columns:
                out[row] = values @ weights[columns]
        return out
