"""Dense retrieval with usearch (HNSW, cosine, float16) in a single file: the vector retriever.

Filters are applied on metadata kept beside the index: selective filters search exactly among the
allowed keys, broad ones search the graph with over-fetching.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from curbside.domain import SearchFilters
from curbside.retrieval.base import IndexedPassage, Scored, audience_values
from curbside.retrieval.cxx_runtime import load_shared_cxx_runtime

_EXACT_LIMIT = 20_000
#: Up to this many passages, the exact path reads the index's vectors from one float16 matrix kept in memory (built at
#: the first filtered search after a change; about 77 MB at 100,000 passages) instead of fetching each allowed key's
#: vector from the index at every search (a third of a second per filtered search with the starter pack).
_MATRIX_LIMIT = 250_000


class _Columns:
    """Filterable metadata per key, as parallel numpy arrays (compact at a million passages)."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)
        self.kind = np.zeros(0, dtype=np.int16)
        self.audience = np.zeros(0, dtype=np.int16)
        self.collection = np.zeros(0, dtype=np.int16)
        self.year = np.zeros(0, dtype=np.int32)
        self.vocab: dict[str, int] = {}
        self._pending: dict[int, IndexedPassage] = {}
        self._removed: set[int] = set()

    def code(self, value: str) -> int:
        if value not in self.vocab:
            self.vocab[value] = len(self.vocab) + 1
        return self.vocab[value]

    def put(self, p: IndexedPassage) -> None:
        self._pending[p.key] = p
        self._removed.discard(p.key)

    def drop(self, key: int) -> None:
        self._pending.pop(key, None)
        self._removed.add(key)

    def flush(self) -> None:
        if not self._pending and not self._removed:
            return
        gone = np.fromiter(list(self._pending) + list(self._removed), dtype=np.int64)
        keep = ~np.isin(self.keys, gone)
        new = list(self._pending.values())
        self.keys = np.concatenate([self.keys[keep], np.array([p.key for p in new], dtype=np.int64)])
        self.kind = np.concatenate([self.kind[keep], np.array([self.code(p.kind) for p in new], dtype=np.int16)])
        self.audience = np.concatenate([self.audience[keep], np.array([self.code(p.audience) for p in new], dtype=np.int16)])
        self.collection = np.concatenate([self.collection[keep], np.array([self.code(p.collection) for p in new], dtype=np.int16)])
        self.year = np.concatenate([self.year[keep], np.array([p.year or 0 for p in new], dtype=np.int32)])
        self._pending.clear()
        self._removed.clear()

    def mask(self, filters: SearchFilters) -> npt.NDArray[np.bool_]:
        self.flush()
        mask = np.ones(len(self.keys), dtype=bool)

        def isin(column: npt.NDArray[np.int16], values: Sequence[str]) -> None:
            nonlocal mask
            codes = [self.vocab[v] for v in values if v in self.vocab]
            mask &= np.isin(column, np.array(codes, dtype=np.int16))

        if filters.kinds:
            isin(self.kind, [k.value for k in filters.kinds])
        if filters.audiences:
            isin(self.audience, audience_values(filters))
        if filters.collections:
            isin(self.collection, filters.collections)
        if filters.year_min is not None:
            mask &= (self.year >= filters.year_min) & (self.year != 0)
        if filters.year_max is not None:
            mask &= (self.year <= filters.year_max) & (self.year != 0)
        return mask

    def save(self, path: Path) -> None:
        self.flush()
        vocab = np.array(sorted(self.vocab, key=self.vocab.__getitem__), dtype=object)
        np.savez(path, keys=self.keys, kind=self.kind, audience=self.audience,
                 collection=self.collection, year=self.year, vocab=vocab.astype(str))

    def load(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as data:
            self.keys, self.kind, self.audience = data["keys"], data["kind"], data["audience"]
            self.collection, self.year = data["collection"], data["year"]
            self.vocab = {str(v): i + 1 for i, v in enumerate(data["vocab"])}


class UsearchIndex:
    """HNSW vectors in ``<dir>/vectors.usearch`` and filter columns in ``<dir>/columns.npz``."""

    name = "usearch-hnsw"

    def __init__(self, path: Path | None, dim: int) -> None:
        self.dim = dim
        self._path = path
        load_shared_cxx_runtime()  # before usearch's extension loads: see cxx_runtime.py
        from usearch.index import Index

        self._index = Index(ndim=dim, metric="cos", dtype="f16", connectivity=16,
                            expansion_add=128, expansion_search=96, multi=False)
        self._columns = _Columns()
        self._matrix: tuple[npt.NDArray[np.uint64], npt.NDArray[np.float16], npt.NDArray[np.float32]] | None = None
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
            if (path / "vectors.usearch").exists():
                self._index.load(str(path / "vectors.usearch"))
            if (path / "columns.npz").exists():
                self._columns.load(path / "columns.npz")

    def upsert(self, passages: Sequence[IndexedPassage], vectors: npt.NDArray[np.float32]) -> None:
        if not passages:
            return
        keys = np.array([p.key for p in passages], dtype=np.uint64)
        present = [int(k) for k in keys if self._index.contains(int(k))]
        if present:
            self._index.remove(np.array(present, dtype=np.uint64))
        self._index.add(keys, np.asarray(vectors, dtype=np.float32), threads=0)
        self._matrix = None
        for p in passages:
            self._columns.put(p)

    def delete(self, keys: Sequence[int]) -> None:
        present = [k for k in keys if self._index.contains(k)]
        if present:
            self._index.remove(np.array(present, dtype=np.uint64))
        self._matrix = None
        for key in keys:
            self._columns.drop(key)

    def commit(self) -> None:
        self._columns.flush()
        if self._path is not None:
            tmp = self._path / "vectors.usearch.tmp"
            self._index.save(str(tmp))
            tmp.replace(self._path / "vectors.usearch")
            self._columns.save(self._path / "columns.tmp.npz")
            (self._path / "columns.tmp.npz").replace(self._path / "columns.npz")

    def count(self) -> int:
        return len(self._index)

    def search(self, vector: npt.NDArray[np.float32], k: int, filters: SearchFilters | None = None) -> list[Scored]:
        size = len(self._index)
        if size == 0 or k <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        if filters is None or filters.is_empty():
            return self._graph_search(query, min(k, size))
        mask = self._columns.mask(filters)
        allowed = self._columns.keys[mask]
        if len(allowed) == 0:
            return []
        if len(allowed) <= _EXACT_LIMIT:
            return self._exact(query, allowed, k)
        fraction = len(allowed) / max(1, len(self._columns.keys))
        fetch = min(size, int(k / fraction * 3) + k)
        allowed_set = set(allowed.tolist())
        hits = [h for h in self._graph_search(query, fetch) if h.key in allowed_set]
        return hits[:k] if len(hits) >= k else self._exact(query, allowed, k)

    def _graph_search(self, query: npt.NDArray[np.float32], count: int) -> list[Scored]:
        matches = self._index.search(query, count, threads=1)
        return [Scored(int(key), 1.0 - float(dist)) for key, dist in zip(matches.keys, matches.distances, strict=True)]

    def _vectors(self, keys: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """The stored vectors of ``keys`` and their norms: from the kept matrix (:data:`_MATRIX_LIMIT`), else fetched."""
        wanted = keys.astype(np.uint64)
        if self._matrix is None and len(self._columns.keys) == len(self._index) <= _MATRIX_LIMIT:
            every = np.sort(np.asarray(self._columns.keys, dtype=np.uint64))
            stored = np.asarray(self._index.get(every), dtype=np.float16).reshape(len(every), self.dim)
            self._matrix = every, stored, np.linalg.norm(stored.astype(np.float32), axis=1)
        if self._matrix is not None:
            every, stored, norms = self._matrix
            rows = np.minimum(np.searchsorted(every, wanted), max(len(every) - 1, 0))
            if len(every) and bool(np.all(every[rows] == wanted)):
                return stored[rows].astype(np.float32), norms[rows].copy()
        vectors = np.asarray(self._index.get(wanted), dtype=np.float32)
        return vectors, np.linalg.norm(vectors, axis=1)

    def _exact(self, query: npt.NDArray[np.float32], keys: npt.NDArray[np.int64], k: int) -> list[Scored]:
        vectors, norms = self._vectors(keys)
        norms[norms == 0] = 1.0
        scores = (vectors @ query) / norms / max(float(np.linalg.norm(query)), 1e-9)
        top = np.argsort(-scores)[:k]
        return [Scored(int(keys[i]), float(scores[i])) for i in top]
