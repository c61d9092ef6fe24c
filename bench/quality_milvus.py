"""NFCorpus nDCG@10 with everything in Milvus, beside the embedded backend, in one run.

    python bench/quality_milvus.py [--work /tmp/curbside-bench-milvus] [--threads 1]

1. NFCorpus is ingested into an embedded knowledge base (SQLite + tantivy + usearch) and
   evaluated in bm25, dense and hybrid mode (the baseline, same run).
2. ``migrate_indexes(..., "milvus")`` (what ``curbside kb migrate --to milvus`` runs) fills one
   Milvus Lite collection from the same database, with ``retrieval.milvus_bm25 = "on"``: BM25
   through Milvus's BM25 function and dense vectors side by side; evaluated in the same three
   modes (hybrid = client-side RRF over the two Milvus searches, as KnowledgeBase.search does).
3. ``milvus-rrf``: one Milvus ``hybrid_search`` per query, BM25 + dense fused by Milvus's own
   ``RRFRanker(rrf_k)``.

Milvus Lite has no stemmer and scores BM25 per segment (see milvus_index.ANALYZER), so its BM25
is a lower bound for a Milvus server's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SHARED, limit_threads, machine, peak_rss_mb, write_result


def milvus_rrf_run(kb: Any, dataset: Any, depth: int) -> tuple[dict[str, dict[str, float]], float]:
    from curbside.ingest.beir import doc_id_of

    run: dict[str, dict[str, float]] = {}
    rrf_k = kb.settings.retrieval.rrf_k
    start = time.perf_counter()
    for query_id, text in dataset.queries.items():
        fused = kb.dense.hybrid_search(text, kb._query_vector(text), depth, candidates=depth,
                                       rrf_k=rrf_k)
        rows = kb.store.passages_by_pk([h.key for h in fused])
        docs: dict[str, float] = {}
        for hit in fused:
            if hit.key not in rows:
                continue
            doc = doc_id_of(rows[hit.key][1].id, dataset.name)
            if doc is not None and doc not in docs:
                docs[doc] = float(depth - len(docs))
        run[query_id] = docs
    return run, (time.perf_counter() - start) * 1000 / max(1, len(dataset.queries))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nfcorpus", type=Path, default=SHARED / "nfcorpus")
    parser.add_argument("--work", type=Path, default=Path("/tmp/curbside-bench-milvus"))
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    limit_threads(args.threads)
    info = machine()
    import pymilvus

    from curbside.eval import metrics
    from curbside.eval.retrieval import BeirDataset, evaluate_kb, ingest_corpus
    from curbside.kb.migrate import migrate_indexes, settings_for
    from curbside.kb.service import KnowledgeBase
    from curbside.settings import EmbeddingSettings, RetrievalSettings, load_settings

    info["versions"]["pymilvus"] = pymilvus.__version__
    info["versions"]["milvus_lite"] = __import__("milvus_lite").__version__
    settings = load_settings(data_dir=args.work / "kb-nfcorpus", database_url="", starter_pack=False,
                             embedding=EmbeddingSettings(threads=args.threads),
                             retrieval=RetrievalSettings(milvus_bm25="on"))
    dataset = BeirDataset.load(args.nfcorpus, "test")
    embedded = KnowledgeBase(settings)
    start = time.perf_counter()
    ingest_corpus(embedded, dataset)
    ingest_s = time.perf_counter() - start
    base = evaluate_kb(embedded, dataset).to_dict()
    print("embedded", {m: v["ndcg@10"] for m, v in base["modes"].items()})

    start = time.perf_counter()
    moved = migrate_indexes(settings, "milvus", embedder=embedded.embedder)
    migrate_s = time.perf_counter() - start
    milvus = KnowledgeBase(settings_for(settings, "milvus"), embedder=embedded.embedder)
    on_milvus = evaluate_kb(milvus, dataset).to_dict()
    depth = 300
    run, ms = milvus_rrf_run(milvus, dataset, depth)
    scored = metrics.per_query(dataset.qrels, run, [10, 100])
    on_milvus["modes"]["milvus-rrf"] = {
        **{k: round(v, 4) for k, v in metrics.mean_scores(scored).items()},
        "queries_with_hit": sum(1 for q in scored if scored[q]["recall@10"] > 0),
        "ms_per_query": round(ms, 2)}
    print("milvus", {m: v["ndcg@10"] for m, v in on_milvus["modes"].items()})
    milvus.dense.close()  # type: ignore[attr-defined]
    write_result("quality-milvus", {
        "dataset": "nfcorpus", "queries": len(dataset.queries), "corpus": base["corpus"],
        "ingest_embedded_s": round(ingest_s, 1), "migrate_to_milvus_s": round(migrate_s, 1),
        "migrated": moved.to_dict(), "embedded": base["modes"], "milvus": on_milvus["modes"],
        "peak_rss_mb": peak_rss_mb()}, info)


if __name__ == "__main__":
    main()
