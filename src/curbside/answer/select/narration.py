"""Does a sentence of a research abstract narrate the study rather than state its evidence?

"The aim of this study was …", "We retrospectively reviewed 212 charts …", "Patients were randomised to …":
an abstract's objective and methods say what was done, not what was found, so an answer never quotes them; its
background, results and conclusions it may. The judgement is a logistic regression over the sentence's word 1–2-gram
TF-IDF (with a start-of-sentence token, so how a sentence opens counts), trained on PubMedQA's expert-labelled
abstracts (MIT; each context carries its section label: OBJECTIVE, METHODS … against BACKGROUND, RESULTS and
the conclusion) by ``scripts/train_models.py --model narration``, measured on PubMedQA's official test abstracts,
which it never saw (docs/benchmarks.md). It reads only research articles' passages: a patient page's "Your doctor
uses a needle to remove a small amount of fluid" describes a procedure, not a study. Weights ship in
``kb/models/narration.npz``; nothing is downloaded.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from curbside.ngrams import NgramFeatures

MODEL_FILE = Path(__file__).resolve().parent.parent.parent / "kb" / "models" / "narration.npz"
#: Put before a sentence so its first words are n-grams of their own ("xxstart we").
START = "xxstart"


def marked(sentence: str) -> str:
    """The sentence as the model reads it."""
    return f"{START} {sentence}"


@dataclass(frozen=True)
class NarrationModel:
    ngrams: NgramFeatures
    weights: npt.NDArray[np.float32]
    bias: float
    card: dict[str, object]

    @property
    def threshold(self) -> float:
        """The probability from which a sentence is narration (chosen by the trainer; in the card)."""
        return float(self.card.get("threshold", 0.5))  # type: ignore[arg-type]

    def probabilities(self, sentences: Sequence[str]) -> npt.NDArray[np.float32]:
        """The probability that each sentence narrates its study."""
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        logits = self.ngrams.dot([marked(s) for s in sentences], self.weights) + self.bias
        out: npt.NDArray[np.float32] = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
        return out

    def narrates(self, sentences: Sequence[str]) -> list[bool]:
        return [bool(p >= self.threshold) for p in self.probabilities(sentences)]

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> NarrationModel:
        with np.load(path, allow_pickle=False) as data:
            vocabulary = {g: i for i, g in enumerate(json.loads(str(data["ngram_vocabulary"])))}
            ngrams = NgramFeatures(vocabulary, data["ngram_idf"].astype(np.float32), int(data["ngram_n"]))
            return cls(ngrams, data["weights"].astype(np.float32), float(data["bias"]), json.loads(str(data["card"])))

    def save(self, path: Path = MODEL_FILE) -> None:
        order = sorted(self.ngrams.vocabulary, key=self.ngrams.vocabulary.__getitem__)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, ngram_vocabulary=json.dumps(order), ngram_idf=self.ngrams.idf.astype(np.float16),
                            ngram_n=np.int32(self.ngrams.n), weights=self.weights.astype(np.float16),
                            bias=np.float32(self.bias), card=json.dumps(self.card, sort_keys=True))


@cache
def narration_model() -> NarrationModel | None:
    """The packaged model, or None when it is not there (a source checkout before training)."""
    return NarrationModel.load() if MODEL_FILE.exists() else None
