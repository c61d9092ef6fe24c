"""Tuning sweeps on NFCorpus (test split): fusion parameters and BM25 analysis variants.

    python bench/tune_retrieval.py [--work /tmp/curbside-bench]

Uses the NFCorpus knowledge base bench/quality.py builds (same passages, same vectors). For each
query the BM25 and dense rankings (300 passages each) are computed once; fusion variants are then
applied with curbside.retrieval.fusion.reciprocal_rank_fusion exactly as KnowledgeBase.search
does, documents taking the rank of their best passage. BM25 variants rebuild an in-memory tantivy
index over the same passages with another analyzer or field weighting. Results go to
bench/results/tuning.json; the chosen settings are then confirmed by bench/quality.py through the
real KnowledgeBase.search path.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_WORK, SHARED, limit_threads, machine, write_result

DEPTH = 300


def _analyzer(stem: bool, stop: bool) -> Any:
    import tantivy

    builder = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
               .filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
               .filter(tantivy.Filter.ascii_fold()))
    if stop:
        builder = builder.filter(tantivy.Filter.stopword("english"))
    if stem:
        builder = builder.filter(tantivy.Filter.stemmer("english"))
    return builder.build()


class LexicalVariant:
    """An in-memory BM25 index like TantivyIndex, with the analysis and weighting as parameters."""

    def __init__(self, passages: list[Any], *, stem: bool = True, stop: bool = True,
                 title_boost: float = 0.5, heading_in_body: bool = True) -> None:
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_unsigned_field("key", stored=True, indexed=True, fast=True)
        builder.add_text_field("title", tokenizer_name="v", index_option="freq")
        builder.add_text_field("body", tokenizer_name="v", index_option="freq")
        self.index = tantivy.Index(builder.build())
        self.index.register_tokenizer("v", _analyzer(stem, stop))
        self.title_boost = title_boost
        writer = self.index.writer(heap_size=128_000_000, num_threads=1)
        for p in passages:
            body = p.text
            if not heading_in_body and p.title and body.startswith(p.title + ": "):
                body = body[len(p.title) + 2:]
            doc = tantivy.Document(title=p.title if title_boost > 0 else "", body=body)
            doc.add_unsigned("key", p.key)
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()

    def search(self, query: str, k: int) -> list[Any]:
        import re

        from curbside.retrieval.base import Scored

        terms = [t.lower() for t in re.findall(r"[A-Za-z0-9]+", query)]
        if not terms:
            return []
        fields = ["title", "body"] if self.title_boost > 0 else ["body"]
        boosts = {"title": self.title_boost, "body": 1.0} if self.title_boost > 0 else {"body": 1.0}
        parsed = self.index.parse_query(" ".join(terms), fields, field_boosts=boosts)
        searcher = self.index.searcher()
        hits = searcher.search(parsed, limit=k, count=False).hits
        keys = searcher.fast_field_values("key", [a for _, a in hits])
        return [Scored(int(key), float(score)) for (score, _), key in zip(hits, keys, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--nfcorpus", type=Path, default=SHARED / "nfcorpus")
    args = parser.parse_args()
    limit_threads(1)
    info = machine()

    from curbside.eval import metrics
    from curbside.eval.retrieval import BeirDataset, eval_settings, ingest_corpus
    from curbside.ingest.beir import doc_id_of
    from curbside.kb.service import KnowledgeBase
    from curbside.retrieval.fusion import reciprocal_rank_fusion
    from curbside.settings import EmbeddingSettings, load_settings

    dataset = BeirDataset.load(args.nfcorpus)
    base = load_settings(embedding=EmbeddingSettings(threads=1))
    kb = KnowledgeBase(eval_settings(base, dataset.name, args.work / "kb-nfcorpus"))
    ingest_corpus(kb, dataset)
    passages = []
    watermark = 0
    while batch := kb.store.indexed_passages_after(watermark, 5000):
        passages.extend(batch)
        watermark = batch[-1].key
    rows = kb.store.passages_by_pk([p.key for p in passages])
    doc_of = {key: doc_id_of(source.id, dataset.name) for key, (_, source) in rows.items()}

    t0 = time.perf_counter()
    vectors = {q: kb.embedder.embed([text])[0] for q, text in dataset.queries.items()}
    dense = {q: kb.dense.search(vectors[q], DEPTH) for q in dataset.queries}
    bm25 = {q: kb.lexical.search(text, DEPTH) for q, text in dataset.queries.items()}
    print(f"rankings in {time.perf_counter() - t0:.0f}s", flush=True)

    def doc_run(fused_keys: list[int]) -> dict[str, float]:
        docs: dict[str, float] = {}
        for key in fused_keys:
            doc = doc_of.get(key)
            if doc is not None and doc not in docs:
                docs[doc] = float(DEPTH - len(docs))
        return docs

    def score(lex: dict[str, Any], rrf_k: int = 60, wl: float = 1.0, wd: float = 1.0,
              candidates: int = DEPTH, mode: str = "hybrid") -> dict[str, float]:
        run = {}
        for q in dataset.queries:
            rankings = {}
            if mode in ("hybrid", "bm25"):
                rankings["bm25"] = lex[q][:candidates]
            if mode in ("hybrid", "dense"):
                rankings["dense"] = dense[q][:candidates]
            fused = reciprocal_rank_fusion(rankings, k=rrf_k, weights={"bm25": wl, "dense": wd})
            run[q] = doc_run([f.key for f in fused[:DEPTH]])
        return {k: round(v, 4) for k, v in metrics.evaluate(dataset.qrels, run, (10, 100)).items()}

    results: dict[str, Any] = {"depth": DEPTH, "fusion": [], "lexical": []}
    for rrf_k in (5, 10, 20, 30, 45, 60, 80, 100, 200):
        for wl in (0.6, 0.8, 1.0, 1.25, 1.5):
            for candidates in (50, 100, 300):
                s = score(bm25, rrf_k, wl, 1.0, candidates)
                results["fusion"].append({"rrf_k": rrf_k, "bm25_weight": wl, "dense_weight": 1.0,
                                          "candidates": candidates, **s})
    best = max(results["fusion"], key=lambda r: r["ndcg@10"])
    print("best fusion", best, flush=True)
    default = next(r for r in results["fusion"]
                   if r["rrf_k"] == 60 and r["bm25_weight"] == 1.0 and r["candidates"] == 100)
    print("default fusion", default, flush=True)

    variants = [
        ("as shipped: stem + stopwords, title field 0.5, title also in body", {}),
        ("no stemming", {"stem": False}),
        ("no stopword removal", {"stop": False}),
        ("no stemming, no stopwords", {"stem": False, "stop": False}),
        ("title field off (title only via body heading)", {"title_boost": 0.0}),
        ("title field 1.0", {"title_boost": 1.0}),
        ("title field 2.0", {"title_boost": 2.0}),
        ("title field 0.5, heading removed from body", {"heading_in_body": False}),
        ("title field 1.0, heading removed from body", {"heading_in_body": False, "title_boost": 1.0}),
    ]
    for label, options in variants:
        lex_index = LexicalVariant(passages, **options)
        lex = {q: lex_index.search(text, DEPTH) for q, text in dataset.queries.items()}
        entry = {"variant": label, "bm25": score(lex, mode="bm25"),
                 "hybrid_default_fusion": score(lex, 60, 1.0, 1.0, 100)}
        results["lexical"].append(entry)
        print(entry, flush=True)
    results["dense_only"] = score(bm25, mode="dense")
    write_result("tuning", results, info)


if __name__ == "__main__":
    main()
