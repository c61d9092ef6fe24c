"""Ranking metrics computed the way BEIR computes them (through pytrec_eval, i.e. trec_eval).

- A run is ``{doc id: score}`` per query. It is ranked by score, highest first; equal scores are
  ordered by doc id, descending (trec_eval's tie-break).
- nDCG@k (``ndcg_cut.k``): gain is the graded relevance itself (not 2^rel - 1), discounted by
  ``log2(rank + 1)``; the ideal DCG ranks every judged document of the query by relevance.
- Recall@k (``recall.k``): relevant documents (relevance >= 1) in the top k over all relevant
  documents of the query.
- Queries without a relevant document in the qrels are skipped; the mean is over the rest. A
  query with no results in the run counts as 0 (BEIR would leave such a query out of the mean).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

Qrels = Mapping[str, Mapping[str, int]]
Run = Mapping[str, Mapping[str, float]]


def rank(scores: Mapping[str, float]) -> list[str]:
    """Doc ids by score, highest first; ties by doc id descending (as trec_eval)."""
    ordered = sorted(scores.items(), key=lambda item: (item[1], item[0]), reverse=True)
    return [doc for doc, _ in ordered]


def dcg(gains: Iterable[float]) -> float:
    """Discounted cumulative gain of gains listed from rank 1."""
    return sum(gain / math.log2(position + 2) for position, gain in enumerate(gains) if gain > 0)


def ndcg_at_k(ranking: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    """nDCG@k of one ranked list against one query's judgements."""
    ideal = dcg(sorted((max(rel, 0) for rel in judged.values()), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    return dcg(max(judged.get(doc, 0), 0) for doc in ranking[:k]) / ideal


def recall_at_k(ranking: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    """Recall@k of one ranked list: relevant documents found in the top k over all relevant."""
    relevant = {doc for doc, rel in judged.items() if rel >= 1}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranking[:k])) / len(relevant)


def has_relevant(judged: Mapping[str, int]) -> bool:
    return any(rel >= 1 for rel in judged.values())


def per_query(qrels: Qrels, run: Run,
              k_values: Sequence[int] = (10, 100)) -> dict[str, dict[str, float]]:
    """``{query id: {"ndcg@k": …, "recall@k": …}}`` for every query with a relevant document."""
    out: dict[str, dict[str, float]] = {}
    for query, judged in qrels.items():
        if not has_relevant(judged):
            continue
        ranking = rank(run.get(query, {}))
        scores: dict[str, float] = {}
        for k in k_values:
            scores[f"ndcg@{k}"] = ndcg_at_k(ranking, judged, k)
            scores[f"recall@{k}"] = recall_at_k(ranking, judged, k)
        out[query] = scores
    return out


def mean_scores(scores: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """The mean of each metric over the queries."""
    if not scores:
        return {}
    names = next(iter(scores.values())).keys()
    return {name: sum(s[name] for s in scores.values()) / len(scores) for name in names}


def evaluate(qrels: Qrels, run: Run, k_values: Sequence[int] = (10, 100)) -> dict[str, float]:
    """Mean nDCG@k and Recall@k over the queries that have a relevant document."""
    return mean_scores(per_query(qrels, run, k_values))
