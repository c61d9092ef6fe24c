"""Backends under one test interface: each opens a new instance on the same directory."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt
import pytest

from curbside.domain import SearchFilters
from curbside.retrieval.base import LexicalIndex, Scored, VectorIndex
from curbside.retrieval.embedder import Embedder
from curbside.retrieval.milvus_index import MilvusIndex, MilvusLexicalIndex
from curbside.retrieval.tantivy_index import TantivyIndex
from curbside.retrieval.usearch_index import UsearchIndex
from curbside.settings import RetrievalSettings, Settings
from tests.retrieval.corpus import CachingEmbedder, CorpusPassage, indexed

VECTOR_BACKENDS = ["usearch", "milvus-lite"]
LEXICAL_BACKENDS = ["tantivy-disk", "tantivy-memory", "milvus-lite-bm25"]
#: Milvus's own fusion of BM25 and dense (RRFRanker inside one hybrid_search request).
HYBRID_BACKENDS = ["milvus-lite-hybrid"]
ALL_BACKENDS = VECTOR_BACKENDS + LEXICAL_BACKENDS + HYBRID_BACKENDS
PERSISTENT_BACKENDS = ["usearch", "milvus-lite", "tantivy-disk", "milvus-lite-bm25",
                       "milvus-lite-hybrid"]

Encode = Callable[[Sequence[str]], npt.NDArray[np.float32]]


class Subject(Protocol):
    """A lexical or vector index driven by text: vector subjects embed passages and queries."""

    def upsert(self, passages: Sequence[CorpusPassage]) -> None: ...
    def delete(self, keys: Sequence[int]) -> None: ...
    def commit(self) -> None: ...
    def count(self) -> int: ...
    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Scored]: ...
    def close(self) -> None: ...


class VectorSubject:
    def __init__(self, index: VectorIndex, encode: Encode) -> None:
        self.index, self.encode = index, encode

    def upsert(self, passages: Sequence[CorpusPassage]) -> None:
        self.index.upsert([indexed(p) for p in passages], self.encode([p.text for p in passages]))

    def delete(self, keys: Sequence[int]) -> None:
        self.index.delete(keys)

    def commit(self) -> None:
        self.index.commit()

    def count(self) -> int:
        return self.index.count()

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Scored]:
        return self.index.search(self.encode([query])[0], k, filters)

    def close(self) -> None:
        close = getattr(self.index, "close", None)
        if close is not None:
            close()


class LexicalSubject:
    def __init__(self, index: LexicalIndex) -> None:
        self.index = index

    def upsert(self, passages: Sequence[CorpusPassage]) -> None:
        self.index.upsert([indexed(p) for p in passages])

    def delete(self, keys: Sequence[int]) -> None:
        self.index.delete(keys)

    def commit(self) -> None:
        self.index.commit()

    def count(self) -> int:
        return self.index.count()

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Scored]:
        return self.index.search(query, k, filters)

    def close(self) -> None:
        return None


class MilvusTextSubject(VectorSubject):
    """Milvus searched by text: BM25 alone (Milvus's BM25 function), or hybrid fused in Milvus.

    Rows are written with their vectors (one row holds text and vector), as the KB writes them.
    """

    def __init__(self, index: MilvusIndex, encode: Encode, *, hybrid: bool) -> None:
        super().__init__(index, encode)
        self.milvus, self.hybrid = index, hybrid

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Scored]:
        if self.hybrid:
            return self.milvus.hybrid_search(query, self.encode([query])[0], k, filters,
                                             candidates=max(k, 20))
        return MilvusLexicalIndex(self.milvus).search(query, k, filters)


@pytest.fixture(scope="session")
def encode(embedder: Embedder) -> Encode:
    """The real model's vectors, cached per text for the whole session."""
    return CachingEmbedder(embedder).embed


def open_backend(name: str, root: Path, encode: Encode, dim: int) -> Subject:
    """A new instance of backend ``name`` on the directory ``root`` (None for in-memory)."""
    if name == "usearch":
        return VectorSubject(UsearchIndex(root / "usearch", dim), encode)
    if name.startswith("milvus-lite"):
        settings = Settings(data_dir=root, retrieval=RetrievalSettings(backend="milvus",
                                                                         milvus_collection="conformance"))
        index = MilvusIndex.from_settings(settings, dim, root / "milvus")
        if name == "milvus-lite":
            return VectorSubject(index, encode)
        return MilvusTextSubject(index, encode, hybrid=name.endswith("-hybrid"))
    if name == "tantivy-disk":
        return LexicalSubject(TantivyIndex(root / "tantivy"))
    if name == "tantivy-memory":
        return LexicalSubject(TantivyIndex(None))
    raise AssertionError(name)


@pytest.fixture
def opener(request: pytest.FixtureRequest, tmp_path: Path, encode: Encode,
           embedder: Embedder) -> Iterator[Callable[[], Subject]]:
    """Call to open the parametrized backend (again) on the same directory; closed afterwards."""
    name: str = request.param
    opened: list[Subject] = []

    def run() -> Subject:
        subject = open_backend(name, tmp_path / "index", encode, embedder.dim)
        opened.append(subject)
        return subject

    yield run
    for subject in opened:
        subject.close()
