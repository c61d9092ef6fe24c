"""One conformance suite for every retrieval backend.

Vector backends (usearch, Milvus Lite) index the real packaged model's vectors of 20 real MedQuAD
passages; the lexical backends (tantivy on disk and in memory, Milvus Lite's built-in BM25
function) index their text, and Milvus's own hybrid search (BM25 + dense fused by its RRFRanker)
is held to the same contract. Each test
runs against every backend, so they all keep the same contract: ranking, idempotent upserts,
deletes, every filter, persistence and the empty index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from curbside.domain import SearchFilters, SourceKind
from curbside.retrieval.base import Scored
from tests.retrieval.conftest import ALL_BACKENDS, PERSISTENT_BACKENDS, VECTOR_BACKENDS, Subject
from tests.retrieval.corpus import FILTER_CASES, CorpusPassage, by_focus, matches, passages

Opener = Callable[[], Subject]
MATCH_ALL = "MedQuAD"  # in every title (lexical); vector search returns everything at k >= 20

#: Query → the passage (MedQuAD focus) every backend must rank first.
TOPICAL = {
    "barking cough and a hoarse voice": "Croup",
    "bone mineral density test": "Bone Density",
    "average blood sugar over the past 3 months": "A1C",
    "extra copy of chromosome 21": "Down Syndrome",
    "a small sac that cushions a joint gets inflamed": "Bursitis",
}


def all_backends() -> pytest.MarkDecorator:
    return pytest.mark.parametrize("opener", ALL_BACKENDS, indirect=True)


def filled(opener: Opener) -> Subject:
    subject = opener()
    subject.upsert(passages())
    subject.commit()
    return subject


def keys(hits: list[Scored]) -> list[int]:
    return [h.key for h in hits]


@all_backends()
def test_empty_index_counts_zero_and_finds_nothing(opener: Opener) -> None:
    subject = opener()
    assert subject.count() == 0
    assert subject.search("barking cough", 10) == []
    assert subject.search("barking cough", 10, FILTER_CASES["combined"]) == []


@all_backends()
@pytest.mark.parametrize(("query", "focus"), TOPICAL.items(), ids=TOPICAL.values())
def test_topical_query_ranks_its_passage_first(opener: Opener, query: str, focus: str) -> None:
    subject = filled(opener)
    hits = subject.search(query, 5)
    assert hits[0].key == by_focus(focus).key
    assert len(hits) == len(set(keys(hits))) <= 5
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)  # higher is better
    assert len(hits) == 1 or hits[0].score > hits[1].score


@pytest.mark.parametrize("opener", VECTOR_BACKENDS, indirect=True)
def test_vector_backends_match_meaning_and_score_by_cosine(opener: Opener) -> None:
    subject = filled(opener)
    # No word in common with the passage: only the embedding can find it.
    hits = subject.search("memory loss and confusion in old age", 3)
    assert hits[0].key == by_focus("Alzheimer's Disease").key
    # A passage's own text is its nearest neighbour at cosine similarity ~1.
    croup = by_focus("Croup")
    own = subject.search(croup.text, 1)
    assert own[0].key == croup.key
    assert own[0].score == pytest.approx(1.0, abs=2e-3)


@all_backends()
def test_k_limits_results(opener: Opener) -> None:
    subject = filled(opener)
    assert len(subject.search(MATCH_ALL, 3)) == 3
    assert subject.search(MATCH_ALL, 0) == []
    assert sorted(keys(subject.search(MATCH_ALL, 1000))) == [p.key for p in passages()]


@all_backends()
def test_reupsert_is_idempotent_and_replaces_metadata(opener: Opener) -> None:
    subject = filled(opener)
    subject.upsert(passages())
    subject.commit()
    subject.upsert(passages()[:5])  # and once more, uncommitted batch then commit
    subject.commit()
    assert subject.count() == 20
    hits = subject.search(MATCH_ALL, 100)
    assert len(hits) == len(set(keys(hits))) == 20

    croup = by_focus("Croup")
    subject.upsert([replace(croup, collection="moved", kind=SourceKind.CONSULT.value)])
    subject.commit()
    assert subject.count() == 20
    assert keys(subject.search(MATCH_ALL, 100, SearchFilters(collections=["moved"]))) == [croup.key]
    assert croup.key not in keys(subject.search(MATCH_ALL, 100, SearchFilters(collections=[croup.collection])))
    assert keys(subject.search("barking cough", 5, SearchFilters(kinds=[SourceKind.CONSULT]))) == [croup.key]


@all_backends()
def test_delete_removes_keys_and_ignores_unknown_ones(opener: Opener) -> None:
    subject = filled(opener)
    croup, asthma = by_focus("Croup"), by_focus("Asthma")
    subject.delete([croup.key, asthma.key, 999_999])
    subject.commit()
    assert subject.count() == 18
    remaining = keys(subject.search(MATCH_ALL, 100))
    assert sorted(remaining) == sorted(p.key for p in passages() if p.key not in (croup.key, asthma.key))
    assert croup.key not in keys(subject.search("barking cough and a hoarse voice", 5))

    subject.upsert([croup])  # a deleted key can come back
    subject.commit()
    assert subject.count() == 19
    assert subject.search("barking cough and a hoarse voice", 1)[0].key == croup.key

    subject.delete([p.key for p in passages()])
    subject.commit()
    assert subject.count() == 0
    assert subject.search(MATCH_ALL, 10) == []


@all_backends()
@pytest.mark.parametrize("case", FILTER_CASES.keys())
def test_filter_returns_exactly_the_matching_passages(opener: Opener, case: str) -> None:
    filters = FILTER_CASES[case]
    expected = sorted(p.key for p in passages() if matches(p, filters))
    if case.startswith("collection-"):
        assert expected == []
    else:  # each case is selective but not empty, so it tests something
        assert 0 < len(expected) < 20
    subject = filled(opener)
    assert sorted(keys(subject.search(MATCH_ALL, 100, filters))) == expected


@all_backends()
def test_filters_and_ranking_work_together(opener: Opener) -> None:
    subject = filled(opener)
    croup = by_focus("Croup")
    query = "barking cough and a hoarse voice"
    same_kind = SearchFilters(kinds=[SourceKind(croup.kind)], collections=[croup.collection])
    hits = subject.search(query, 3, same_kind)
    assert hits[0].key == croup.key
    assert all(matches(by_key(h.key), same_kind) for h in hits)
    other_kinds = SearchFilters(kinds=[k for k in SourceKind if k.value != croup.kind])
    assert croup.key not in keys(subject.search(query, 20, other_kinds))


@pytest.mark.parametrize("opener", PERSISTENT_BACKENDS, indirect=True)
def test_committed_index_reopens_with_the_same_results(opener: Opener) -> None:
    first = filled(opener)
    first.delete([by_focus("Asthma").key])
    first.commit()
    before = {q: first.search(q, 5) for q in TOPICAL}
    filtered = first.search(MATCH_ALL, 100, FILTER_CASES["combined"])
    first.close()

    second = opener()
    assert second.count() == 19
    for query, hits in before.items():
        again = second.search(query, 5)
        assert keys(again) == keys(hits)
        assert [h.score for h in again] == pytest.approx([h.score for h in hits], rel=1e-3, abs=1e-4)
    assert sorted(keys(second.search(MATCH_ALL, 100, FILTER_CASES["combined"]))) == sorted(keys(filtered))
    assert by_focus("Asthma").key not in keys(second.search(MATCH_ALL, 100))


def by_key(key: int) -> CorpusPassage:
    return next(p for p in passages() if p.key == key)
