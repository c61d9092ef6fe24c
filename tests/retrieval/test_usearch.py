"""UsearchIndex's filtered search: the exact path for selective filters, the graph path for broad
ones, and the exact fallback when the over-fetched graph hits are too few.

The vectors are seeded random ones (the index, not the embedder, is under test); results are
checked against brute-force cosine ranking with numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from curbside.domain import SearchFilters
from curbside.retrieval import usearch_index
from curbside.retrieval.base import IndexedPassage, Scored
from curbside.retrieval.usearch_index import UsearchIndex

DIM = 32
K = 10


@dataclass
class Calls:
    exact: int = 0
    graph: int = 0
    graph_counts: list[int] = field(default_factory=list)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Calls]:
    """Counts which search path the index takes (the real methods still run)."""
    seen = Calls()
    exact, graph = UsearchIndex._exact, UsearchIndex._graph_search

    def spy_exact(self: UsearchIndex, *args: Any) -> list[Scored]:
        seen.exact += 1
        return exact(self, *args)

    def spy_graph(self: UsearchIndex, query: npt.NDArray[np.float32], count: int) -> list[Scored]:
        seen.graph += 1
        seen.graph_counts.append(count)
        return graph(self, query, count)

    monkeypatch.setattr(UsearchIndex, "_exact", spy_exact)
    monkeypatch.setattr(UsearchIndex, "_graph_search", spy_graph)
    yield seen


def unit(rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float32]:
    normed: npt.NDArray[np.float32] = (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(
        np.float32)
    return normed


def build(vectors: npt.NDArray[np.float32], collection_of: Callable[[int], str]) -> UsearchIndex:
    index = UsearchIndex(None, vectors.shape[1])
    passages = [IndexedPassage(key=i + 1, text="", title="", kind="research_article", audience="both",
                               collection=collection_of(i), year=2020) for i in range(len(vectors))]
    index.upsert(passages, vectors)
    index.commit()
    return index


def truth(vectors: npt.NDArray[np.float32], query: npt.NDArray[np.float32], allowed: set[int],
          k: int) -> list[int]:
    """Brute-force top-k keys among ``allowed`` (keys are row + 1)."""
    scores = vectors @ query
    order = [int(i) + 1 for i in np.argsort(-scores) if int(i) + 1 in allowed]
    return order[:k]


def assert_exact(hits: list[Scored], vectors: npt.NDArray[np.float32],
                 query: npt.NDArray[np.float32], allowed: set[int]) -> None:
    """Hits are the true top-k among ``allowed``: same cosine scores, higher first (the index
    stores float16, so near-ties may swap; scores must agree within its precision)."""
    expected = truth(vectors, query, allowed, K)
    assert len(hits) == K and {h.key for h in hits} <= allowed
    assert [h.score for h in hits] == pytest.approx(
        [float(vectors[k - 1] @ query) for k in expected], abs=2e-3)


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    """Lower the exact-search limit so 3,000 vectors exercise both paths."""
    monkeypatch.setattr(usearch_index, "_EXACT_LIMIT", 200)
    return 200


def test_selective_filter_searches_exactly(small_limit: int, calls: Calls) -> None:
    rng = np.random.default_rng(7)
    vectors = unit(rng.normal(size=(3000, DIM)))
    index = build(vectors, lambda i: "rare" if i % 150 == 0 else "common")
    rare = {i + 1 for i in range(3000) if i % 150 == 0}
    assert len(rare) <= small_limit
    query = vectors[42]

    hits = index.search(query, K, SearchFilters(collections=["rare"]))

    assert (calls.exact, calls.graph) == (1, 0)
    assert_exact(hits, vectors, query, rare)


def test_broad_filter_searches_the_graph(small_limit: int, calls: Calls) -> None:
    rng = np.random.default_rng(11)
    vectors = unit(rng.normal(size=(3000, DIM)))
    index = build(vectors, lambda i: "rare" if i % 10 == 0 else "common")
    common = {i + 1 for i in range(3000) if i % 10 != 0}
    assert len(common) > small_limit
    recalls = []
    for row in (3, 500, 2999):
        calls.exact = calls.graph = 0
        hits = index.search(vectors[row], K, SearchFilters(collections=["common"]))
        assert (calls.exact, calls.graph) == (0, 1)
        assert len(hits) == K and {h.key for h in hits} <= common
        expected = truth(vectors, vectors[row], common, K)
        recalls.append(len({h.key for h in hits} & set(expected)) / K)
    # 90% of passages allowed: fetch k / 0.9 * 3 + k candidates from the graph.
    assert calls.graph_counts[-1] == int(K / (len(common) / 3000) * 3) + K
    assert min(recalls) >= 0.9


def test_graph_path_falls_back_to_exact_when_filtered_hits_are_too_few(small_limit: int,
                                                                       calls: Calls) -> None:
    rng = np.random.default_rng(5)
    query = unit(rng.normal(size=DIM))
    near = unit(query + 0.3 * rng.normal(size=(2500, DIM)))  # close to the query
    far = unit(-query + 0.3 * rng.normal(size=(500, DIM)))  # on the opposite side
    vectors = np.concatenate([near, far])
    index = build(vectors, lambda i: "near" if i < 2500 else "far")
    far_keys = set(range(2501, 3001))
    assert len(far_keys) > small_limit

    hits = index.search(query, K, SearchFilters(collections=["far"]))

    # The graph's nearest candidates are all 'near', so the index must search exactly.
    assert (calls.graph, calls.exact) == (1, 1)
    assert_exact(hits, vectors, query, far_keys)


def test_the_exact_path_reads_a_kept_matrix_that_follows_every_change(small_limit: int, calls: Calls,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(13)
    vectors = unit(rng.normal(size=(3000, DIM)))
    index = build(vectors, lambda i: "rare" if i % 150 == 0 else "common")
    rare = {i + 1 for i in range(3000) if i % 150 == 0}
    query = unit(rng.normal(size=DIM))
    kept = index.search(query, K, SearchFilters(collections=["rare"]))
    assert calls.exact == 1 and index._matrix is not None
    assert_exact(kept, vectors, query, rare)
    monkeypatch.setattr(usearch_index, "_MATRIX_LIMIT", 0)  # the same search, each vector fetched from the index
    fresh = UsearchIndex(None, DIM)
    fresh.upsert([IndexedPassage(key=i + 1, text="", title="", kind="research_article", audience="both",
                                 collection="rare" if i % 150 == 0 else "common", year=2020) for i in range(3000)],
                 vectors)
    fetched = fresh.search(query, K, SearchFilters(collections=["rare"]))
    assert fresh._matrix is None
    assert [h.key for h in fetched] == [h.key for h in kept]
    assert [h.score for h in fetched] == pytest.approx([h.score for h in kept], abs=1e-6)
    monkeypatch.setattr(usearch_index, "_MATRIX_LIMIT", 250_000)
    # a passage added after the matrix was built is found; once deleted, it is not
    index.upsert([IndexedPassage(key=5000, text="", title="", kind="research_article", audience="both",
                                 collection="rare", year=2020)], query.reshape(1, -1))
    assert index.search(query, K, SearchFilters(collections=["rare"]))[0].key == 5000
    index.delete([5000])
    assert [h.key for h in index.search(query, K, SearchFilters(collections=["rare"]))] == [h.key for h in kept]


@pytest.mark.slow
def test_real_exact_limit_separates_the_paths(calls: Calls) -> None:
    """With the shipped limit (20,000 keys): a filter over more keys takes the graph path."""
    limit = usearch_index._EXACT_LIMIT
    n = limit + 600
    rng = np.random.default_rng(3)
    vectors = unit(rng.normal(size=(n, 16)))
    index = build(vectors, lambda i: "rare" if i < 50 else "common")
    common = set(range(51, n + 1))
    assert len(common) > limit

    hits = index.search(vectors[100], K, SearchFilters(collections=["common"]))
    assert (calls.exact, calls.graph) == (0, 1)
    assert hits[0].key == 101 and {h.key for h in hits} <= common

    hits = index.search(vectors[7], K, SearchFilters(collections=["rare"]))
    assert (calls.exact, calls.graph) == (1, 1)
    assert_exact(hits, vectors, vectors[7], set(range(1, 51)))
