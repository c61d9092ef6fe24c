"""Near-duplicate questions: normalised-text equality, then cosine similarity of embeddings.

A question whose normalised text equals an article's, or whose embedding (the packaged model) is
at least ``articles.duplicate_threshold`` similar to an article's question *and* asks the same
kind of thing (the intent of ``curbside.answer.understand.analysis``), gets that article instead of a new
one. The intent check matters: with MiniLM, "What is X?" and "What causes X?" score about 0.91,
while rewordings of one question ("How should X be managed?" / "What is the management of X?")
score 0.95 and more. The same vectors rank related articles.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from curbside.retrieval.embedder import from_blobs

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize_question(question: str) -> str:
    """Lower case, accents folded, no punctuation or repeated spaces: 'What is X?' → 'what is x'."""
    text = unicodedata.normalize("NFKD", question)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_WORD.sub(" ", text).strip()


def question_key(question: str) -> str:
    """Stable key of the normalised question (indexed, so equality is one lookup)."""
    return hashlib.sha256(normalize_question(question).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredQuestion:
    article_id: int
    vector: bytes


@dataclass(frozen=True)
class Match:
    article_id: int
    similarity: float


def rank_similar(
    query: npt.NDArray[np.float32],
    stored: Sequence[StoredQuestion],
    dim: int,
    *,
    min_similarity: float,
    limit: int,
    exclude: int | None = None,
) -> list[Match]:
    """Stored questions at least ``min_similarity`` cosine-similar to ``query``, best first."""
    candidates = [s for s in stored if s.article_id != exclude and len(s.vector) == dim * 2]
    if not candidates or limit <= 0:
        return []
    matrix = from_blobs([s.vector for s in candidates], dim)
    norms = np.linalg.norm(matrix, axis=1)
    norms[norms == 0] = 1.0
    q = np.asarray(query, dtype=np.float32)
    q = q / (float(np.linalg.norm(q)) or 1.0)
    scores = (matrix @ q) / norms
    order = np.argsort(-scores, kind="stable")
    out: list[Match] = []
    for i in order:
        score = float(scores[i])
        if score < min_similarity:
            break
        out.append(Match(candidates[int(i)].article_id, score))
        if len(out) >= limit:
            break
    return out


def same_intent(a: str, b: str) -> bool:
    """Whether two questions ask the same kind of thing (meaning, causes, management …)."""
    from curbside.answer.understand.analysis import detect_intent

    return detect_intent(a) == detect_intent(b)


def find_duplicate(query: npt.NDArray[np.float32], question: str, stored: Sequence[StoredQuestion],
                   questions: Callable[[list[int]], dict[int, str]], dim: int,
                   threshold: float) -> Match | None:
    """The most similar stored question at or above ``threshold`` with the same intent, if any.

    ``questions`` maps article ids to their questions (looked up only for the close candidates).
    """
    close = rank_similar(query, stored, dim, min_similarity=threshold, limit=10)
    texts = questions([m.article_id for m in close]) if close else {}
    for match in close:
        if match.article_id in texts and same_intent(question, texts[match.article_id]):
            return match
    return None
