"""Reciprocal rank fusion and the evidence boost, checked against sums worked out by hand."""

from __future__ import annotations

import pytest

from curbside.retrieval.base import Scored
from curbside.retrieval.fusion import Fused, boost_by_evidence, reciprocal_rank_fusion


def ranking(*keys: int) -> list[Scored]:
    """A ranking whose raw scores fall with rank (the raw score plays no part in RRF)."""
    return [Scored(key, 100.0 - i) for i, key in enumerate(keys)]


def scores(fused: list[Fused]) -> dict[int, float]:
    return {f.key: f.score for f in fused}


def test_single_ranking_scores_one_over_k_plus_rank_from_one() -> None:
    fused = reciprocal_rank_fusion({"bm25": ranking(7, 3, 9)}, k=60)
    assert [f.key for f in fused] == [7, 3, 9]
    assert scores(fused) == pytest.approx({7: 1 / 61, 3: 1 / 62, 9: 1 / 63})
    assert fused[0].ranks == {"bm25": (1, 100.0)}
    assert fused[2].ranks == {"bm25": (3, 98.0)}


def test_scores_add_across_retrievers() -> None:
    # bm25: A=1, B=2, C=3; dense: C=1, A=2, D=3; k=10
    fused = reciprocal_rank_fusion({"bm25": ranking(1, 2, 3), "dense": ranking(3, 1, 4)}, k=10)
    expected = {1: 1 / 11 + 1 / 12, 3: 1 / 13 + 1 / 11, 2: 1 / 12, 4: 1 / 13}
    assert scores(fused) == pytest.approx(expected)
    assert [f.key for f in fused] == [1, 3, 2, 4]
    by_key = {f.key: f for f in fused}
    assert by_key[3].ranks == {"bm25": (3, 98.0), "dense": (1, 100.0)}
    assert by_key[4].ranks == {"dense": (3, 98.0)}


def test_weights_scale_each_retriever() -> None:
    rankings = {"bm25": ranking(1, 2), "dense": ranking(2, 1)}
    even = reciprocal_rank_fusion(rankings, k=1)
    assert scores(even) == pytest.approx({1: 1 / 2 + 1 / 3, 2: 1 / 3 + 1 / 2})

    dense_heavy = reciprocal_rank_fusion(rankings, k=1, weights={"bm25": 1.0, "dense": 2.0})
    assert scores(dense_heavy) == pytest.approx({1: 1 / 2 + 2 / 3, 2: 1 / 3 + 2 / 2})
    assert [f.key for f in dense_heavy] == [2, 1]

    # A retriever missing from the weights counts once; weight 0 silences one.
    assert scores(reciprocal_rank_fusion(rankings, k=1, weights={"dense": 2.0})) == \
        pytest.approx(scores(dense_heavy))
    bm25_only = reciprocal_rank_fusion(rankings, k=1, weights={"bm25": 1.0, "dense": 0.0})
    assert scores(bm25_only) == pytest.approx({1: 1 / 2, 2: 1 / 3})


def test_ties_keep_first_seen_order() -> None:
    # 5 and 6 each have one rank-1 and one rank-2 placing: equal sums.
    fused = reciprocal_rank_fusion({"bm25": ranking(5, 6), "dense": ranking(6, 5)}, k=60)
    assert fused[0].score == pytest.approx(fused[1].score)
    assert [f.key for f in fused] == [5, 6]
    fused = reciprocal_rank_fusion({"dense": ranking(6, 5), "bm25": ranking(5, 6)}, k=60)
    assert [f.key for f in fused] == [6, 5]


def test_empty_rankings_fuse_to_nothing() -> None:
    assert reciprocal_rank_fusion({}) == []
    assert reciprocal_rank_fusion({"bm25": [], "dense": []}) == []


def test_evidence_boost_multiplies_by_level() -> None:
    fused = [Fused(1, 0.5), Fused(2, 0.5), Fused(3, 0.5)]
    # level 1 (strongest) doubles at strength 1; level 8 (worst) and unknown keys stay put.
    boosted = boost_by_evidence(fused, {1: 8, 2: 1}, strength=1.0)
    assert scores(boosted) == pytest.approx({1: 0.5, 2: 1.0, 3: 0.5})
    assert boosted[0].key == 2

    fused = [Fused(1, 1.0), Fused(2, 1.0)]
    half = boost_by_evidence(fused, {1: 4, 2: 6}, strength=0.5)
    assert scores(half) == pytest.approx({1: 1 + 0.5 * 4 / 7, 2: 1 + 0.5 * 2 / 7})


def test_evidence_boost_can_reorder_close_scores_but_not_distant_ones() -> None:
    fused = reciprocal_rank_fusion({"bm25": ranking(10, 20, 30)}, k=60)  # 1/61, 1/62, 1/63
    boosted = boost_by_evidence(fused, {10: 8, 20: 8, 30: 1}, strength=0.1)
    assert [f.key for f in boosted] == [30, 10, 20]  # 1.1/63 > 1/61

    fused = [Fused(1, 1.0), Fused(2, 0.1)]
    assert [f.key for f in boost_by_evidence(fused, {2: 1}, strength=2.0)] == [1, 2]  # 0.3 < 1


def test_zero_strength_leaves_scores_and_order_alone() -> None:
    fused = [Fused(1, 0.2), Fused(2, 0.1)]
    assert boost_by_evidence(fused, {2: 1}, strength=0.0) is fused
    assert scores(fused) == {1: 0.2, 2: 0.1}
