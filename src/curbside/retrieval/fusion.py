"""Reciprocal rank fusion and the optional evidence-level boost: shared by every backend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from curbside.retrieval.base import Scored


@dataclass
class Fused:
    key: int
    score: float
    ranks: dict[str, tuple[int, float]] = field(default_factory=dict)  # retriever → (rank, raw score)


def reciprocal_rank_fusion(rankings: Mapping[str, Sequence[Scored]], *, k: int = 60,
                           weights: Mapping[str, float] | None = None) -> list[Fused]:
    """Fuse rankings: score(d) = Σ weight_r / (k + rank_r(d)), ranks from 1; ties keep first-seen order."""
    fused: dict[int, Fused] = {}
    for name, ranking in rankings.items():
        weight = 1.0 if weights is None else weights.get(name, 1.0)
        for rank, hit in enumerate(ranking, start=1):
            entry = fused.setdefault(hit.key, Fused(hit.key, 0.0))
            entry.score += weight / (k + rank)
            entry.ranks[name] = (rank, hit.score)
    return sorted(fused.values(), key=lambda f: -f.score)


def boost_by_evidence(fused: list[Fused], levels: Mapping[int, int], strength: float, worst: int = 8) -> list[Fused]:
    """Multiply each score by ``1 + strength * (worst - rank) / (worst - 1)``; rank 1 is strongest."""
    if strength <= 0:
        return fused
    for entry in fused:
        level = levels.get(entry.key, worst)
        entry.score *= 1.0 + strength * (worst - level) / (worst - 1)
    return sorted(fused, key=lambda f: -f.score)
