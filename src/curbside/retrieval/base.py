"""Retrieval protocols: a lexical index and a vector index, each over integer passage keys.

Backends store only keys plus the few metadata fields filters need; passage text and source
metadata live in the knowledge-base store. Writes are idempotent upserts keyed by passage, so an
interrupted sync can simply run again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from curbside.domain import SearchFilters


@dataclass(frozen=True)
class IndexedPassage:
    """What an index needs to know about one passage."""

    key: int
    text: str
    title: str
    kind: str
    audience: str
    collection: str
    year: int | None


@dataclass(frozen=True)
class Scored:
    key: int
    score: float


class LexicalIndex(Protocol):
    name: str

    def upsert(self, passages: Sequence[IndexedPassage]) -> None: ...
    def delete(self, keys: Sequence[int]) -> None: ...
    def commit(self) -> None: ...
    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Scored]: ...
    def count(self) -> int: ...


class VectorIndex(Protocol):
    name: str

    def upsert(self, passages: Sequence[IndexedPassage], vectors: npt.NDArray[np.float32]) -> None: ...
    def delete(self, keys: Sequence[int]) -> None: ...
    def commit(self) -> None: ...
    def search(self, vector: npt.NDArray[np.float32], k: int, filters: SearchFilters | None = None) -> list[Scored]: ...
    def count(self) -> int: ...


def audience_values(filters: SearchFilters) -> list[str]:
    """Audience filter values: a source written for 'both' serves every audience."""
    values = {a.value for a in filters.audiences}
    if values:
        values.add("both")
    return sorted(values)
