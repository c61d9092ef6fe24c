"""Does a question say what it is about on its own? A learned judgement on real patient messages.

Patients ask in the middle of a chat: "Is it contagious?", "What about the cream?", "How long does this
last?" name nothing a library could look up, while "Also, is a bacterial ear infection contagious?" does,
whatever its first word. The judgement is a logistic regression over the packaged MiniLM vector of the
question, the TF-IDF of its word 1–2-grams and what the word rules read in it (``select/ontopic.SUBJECT_CUES``:
whether they find no subject or a reply, a specific condition or medicine, how many concepts), trained by ``scripts/train_models.py --model standalone`` on
real patient questions labelled by hand (K-QA's questions without answers, ``bench/data/
selfcontained_kqa.jsonl``: "yes" it names its subject and what it asks, "partly" it names something but
what it asks depends on the chat, "no" it names nothing to look up) and on MEDIQA 2019's consumer
questions, which all stand alone. A question whose probability of naming its subject is below the card's
threshold is not looked up (``select/relevance.subject_gate``). The weights ship in
``kb/models/standalone.npz``; nothing is downloaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from curbside.ngrams import NgramFeatures
from curbside.retrieval.embedder import Embedder, get_embedder
from curbside.settings import EmbeddingSettings

MODEL_FILE = Path(__file__).resolve().parent.parent.parent / "kb" / "models" / "standalone.npz"


@dataclass(frozen=True)
class StandaloneModel:
    """P(the question names what it is about) from its vector and its word n-grams."""

    weights: npt.NDArray[np.float32]  # (dim + cues,): the vector's weights, then the cues'

    bias: float
    ngrams: NgramFeatures
    ngram_weights: npt.NDArray[np.float32]  # (n-grams,)
    ngram_scale: float
    threshold: float
    card: dict[str, object]

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> StandaloneModel:
        with np.load(path, allow_pickle=False) as data:
            card = json.loads(str(data["card"]))
            vocabulary = {g: i for i, g in enumerate(json.loads(str(data["ngram_vocabulary"])))}
            return cls(data["weights"].astype(np.float32), float(data["bias"]),
                       NgramFeatures(vocabulary, data["ngram_idf"].astype(np.float32), n=int(card.get("ngram_n", 2))),
                       data["ngram_weights"].astype(np.float32), float(card["ngram_scale"]),
                       float(card["threshold"]), card)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        order = sorted(self.ngrams.vocabulary, key=self.ngrams.vocabulary.__getitem__)
        card = {**self.card, "ngram_scale": self.ngram_scale, "threshold": self.threshold, "ngram_n": self.ngrams.n}
        np.savez_compressed(path, weights=self.weights.astype(np.float32), bias=np.float32(self.bias),
                            ngram_vocabulary=json.dumps(order), ngram_idf=self.ngrams.idf.astype(np.float16),
                            ngram_weights=self.ngram_weights.astype(np.float16), card=json.dumps(card, sort_keys=True))

    @property
    def cues(self) -> tuple[str, ...]:
        """The rule cues it reads after the vector, in order."""
        return tuple(str(c) for c in self.card.get("cues", []))  # type: ignore[attr-defined]

    def probabilities(self, vectors: npt.NDArray[np.float32], texts: list[str],
                      cues: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """For each text (``vectors`` its packaged-model rows, ``cues`` the rules' readings of it), the
        probability that it names its subject."""
        grams = self.ngrams.dot(texts, self.ngram_weights.reshape(-1, 1))[:, 0]
        logits = np.hstack([vectors, cues]) @ self.weights + self.bias + self.ngram_scale * grams
        out: npt.NDArray[np.float32] = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
        return out


@cache
def standalone_model() -> StandaloneModel | None:
    """The packaged model, or None when it is not there (a source checkout before training)."""
    return StandaloneModel.load() if MODEL_FILE.exists() else None


def usable_with(embedder: Embedder) -> StandaloneModel | None:
    """The packaged model when it reads this embedder's vectors."""
    model = standalone_model()
    if model is None or embedder.name != model.card.get("embedding_model") or (
            embedder.dim + len(model.cues) != model.weights.size):
        return None
    return model


@lru_cache(maxsize=4096)  # a question is judged at each step that gates on it
def judged(question: str, cues: tuple[float, ...], names: tuple[str, ...]) -> tuple[float, float] | None:
    """(the probability that ``question`` names what it is about, the model's threshold), read by the packaged
    embedding model with the rules' ``cues`` (named ``names``); None without a usable model or when the model
    reads other cues."""
    embedder = get_embedder(EmbeddingSettings())
    model = usable_with(embedder)
    if model is None or model.cues != names:
        return None
    row = np.array([cues], dtype=np.float32)
    return float(model.probabilities(embedder.embed([question]), [question], row)[0]), model.threshold
