"""nDCG@k and Recall@k against values computed by hand (trec_eval definitions, as BEIR uses)."""

from __future__ import annotations

import math

import pytest

from curbside.eval.metrics import dcg, evaluate, ndcg_at_k, per_query, rank, recall_at_k

# One query with graded judgements: a is highly relevant (2), b and c relevant (1), z judged 0.
JUDGED = {"a": 2, "b": 1, "c": 1, "z": 0}
# The system ranks x, a, c, y (x and y are unjudged).
RUN = {"x": 4.0, "a": 3.0, "c": 2.0, "y": 1.0}


def test_rank_orders_by_score_then_doc_id_descending() -> None:
    assert rank(RUN) == ["x", "a", "c", "y"]
    # trec_eval breaks ties by document id in reverse order.
    assert rank({"d1": 1.0, "d3": 1.0, "d2": 1.0, "d0": 2.0}) == ["d0", "d3", "d2", "d1"]


def test_dcg_uses_linear_gain_and_log2_discount() -> None:
    # 2/log2(2) + 0 + 1/log2(4) = 2 + 0.5
    assert dcg([2, 0, 1]) == pytest.approx(2.5)


def test_ndcg_at_10_by_hand() -> None:
    # DCG  = 0/log2(2) + 2/log2(3) + 1/log2(4) + 0          = 1.261860 + 0.5 = 1.761860
    # IDCG = 2/log2(2) + 1/log2(3) + 1/log2(4) (+ 0 for z)  = 2 + 0.630930 + 0.5 = 3.130930
    assert ndcg_at_k(rank(RUN), JUDGED, 10) == pytest.approx(1.761860 / 3.130930, abs=1e-6)
    assert ndcg_at_k(rank(RUN), JUDGED, 10) == pytest.approx(0.562727, abs=1e-6)


def test_ndcg_cut_truncates_both_run_and_ideal() -> None:
    # DCG@2 = 2/log2(3) = 1.261860; IDCG@2 = 2 + 1/log2(3) = 2.630930
    assert ndcg_at_k(rank(RUN), JUDGED, 2) == pytest.approx(0.479625, abs=1e-6)
    assert ndcg_at_k(rank(RUN), JUDGED, 1) == 0.0


def test_perfect_ranking_scores_one() -> None:
    assert ndcg_at_k(["a", "b", "c"], JUDGED, 10) == pytest.approx(1.0)
    # b and c are equally relevant: their order does not matter.
    assert ndcg_at_k(["a", "c", "b"], JUDGED, 10) == pytest.approx(1.0)
    # Swapping the 2 and a 1 does: (1 + 2/log2(3) + 1/2) / IDCG.
    expected = (1 + 2 / math.log2(3) + 0.5) / (2 + 1 / math.log2(3) + 0.5)
    assert ndcg_at_k(["b", "a", "c"], JUDGED, 10) == pytest.approx(expected)


def test_recall_counts_relevance_at_least_one() -> None:
    assert recall_at_k(rank(RUN), JUDGED, 10) == pytest.approx(2 / 3)
    assert recall_at_k(rank(RUN), JUDGED, 2) == pytest.approx(1 / 3)
    assert recall_at_k(["z"], JUDGED, 10) == 0.0  # z is judged but not relevant


def test_queries_without_relevant_documents_are_skipped() -> None:
    qrels = {"q1": JUDGED, "q2": {"d": 0}, "q3": {"e": 1}}
    run = {"q1": RUN, "q2": {"d": 1.0}}
    scores = per_query(qrels, run, (10,))
    assert set(scores) == {"q1", "q3"}
    assert scores["q3"] == {"ndcg@10": 0.0, "recall@10": 0.0}  # no results: zero, not skipped
    means = evaluate(qrels, run, (10,))
    assert means["ndcg@10"] == pytest.approx(0.562727 / 2, abs=1e-6)
    assert means["recall@10"] == pytest.approx((2 / 3) / 2)


def test_evaluate_reports_each_cutoff() -> None:
    means = evaluate({"q1": JUDGED}, {"q1": RUN}, (1, 10, 100))
    assert set(means) == {"ndcg@1", "recall@1", "ndcg@10", "recall@10", "ndcg@100", "recall@100"}
    assert means["recall@100"] == pytest.approx(2 / 3)
    assert evaluate({}, {}) == {}
