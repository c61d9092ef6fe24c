"""Query latency (p50/p95, warm) at 100k and 1M passages for bm25, dense and hybrid.

    python bench/latency.py [--sizes 100000 1000000] [--work /tmp/curbside-bench] [--kb-size 100000]

Scale data: the real NFCorpus passages (from the knowledge base bench/quality.py builds, ingested
here if missing) are replicated until the size is reached. Every copy drops ~5% of its words at
random, and its vector is the real passage's vector plus Gaussian noise (cosine ≈ 0.96 to the
original), re-normalised; embedding a million passages would take hours on a CPU.
CURBSIDE_BENCH_NOISE=x sets the noise's norm (default 0.3) and builds into scale-<size>-noise<x>.

The tantivy and usearch indexes are built directly through TantivyIndex and UsearchIndex
(single-threaded) and queried in a fresh process through the same code as KnowledgeBase.search:
query embedding, TantivyIndex.search, UsearchIndex.search, reciprocal_rank_fusion. The queries
are the 323 NFCorpus test queries; each mode runs them once to warm up, then once timed.

At --kb-size passages the whole KnowledgeBase.search path is measured too (SQLite fetch of the
top 10 included): the copies are stored as sources and passages through add_documents, their
vectors written directly, and the indexes synchronised by the knowledge base itself.

Peak RSS (getrusage maxrss) of each query process is recorded before an exact (brute-force)
dense scan is run as the baseline for HNSW recall.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DEFAULT_WORK,
    SHARED,
    Timer,
    limit_threads,
    machine,
    peak_rss_mb,
    summary_ms,
    write_result,
)

SEED = 20260521
NOISE = 0.3  # norm of the noise added to a unit vector: cosine to the original ≈ 1/sqrt(1+0.09)
DROP = 0.05
BATCH = 20_000


def scale_dir(work: Path, size: int) -> Path:
    """Where the scale indexes of ``size`` live (CURBSIDE_BENCH_NOISE=x builds a variant)."""
    noise = os.environ.get("CURBSIDE_BENCH_NOISE")
    return work / (f"scale-{size}" if noise is None else f"scale-{size}-noise{noise}")


def _settings(work: Path, threads: int) -> Any:
    from curbside.eval.retrieval import eval_settings
    from curbside.settings import EmbeddingSettings, load_settings

    base = load_settings(embedding=EmbeddingSettings(threads=threads))
    return eval_settings(base, "nfcorpus", work / "kb-nfcorpus")


def real_passages(work: Path, nfcorpus: Path, threads: int) -> tuple[list[Any], Any]:
    """Every passage of the NFCorpus knowledge base with its stored vector."""
    import numpy as np

    from curbside.eval.retrieval import BeirDataset, ingest_corpus
    from curbside.kb.service import KnowledgeBase

    kb = KnowledgeBase(_settings(work, threads))
    ingest_corpus(kb, BeirDataset.load(nfcorpus))
    passages = []
    watermark = 0
    while batch := kb.store.indexed_passages_after(watermark, 5000):
        passages.extend(batch)
        watermark = batch[-1].key
    vectors = kb.store.vectors(kb.embedder.name, [p.key for p in passages], kb.embedder.dim)
    keep = [p for p in passages if p.key in vectors]
    return keep, np.stack([vectors[p.key] for p in keep]).astype(np.float32)


def vary(text: str, rng: Any) -> str:
    words = text.split()
    if len(words) < 8:
        return text
    drop = set(rng.choice(len(words), size=max(1, int(len(words) * DROP)), replace=False).tolist())
    return " ".join(w for i, w in enumerate(words) if i not in drop)


def perturb(vectors: Any, rng: Any) -> Any:
    import numpy as np

    scale = float(os.environ.get("CURBSIDE_BENCH_NOISE", NOISE))
    noise = rng.standard_normal(vectors.shape, dtype=np.float32) * (scale / np.sqrt(vectors.shape[1]))
    out = vectors + noise
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def build(size: int, out: Path, work: Path, nfcorpus: Path, threads: int) -> dict[str, Any]:
    """Replicate the real passages to ``size`` and build both indexes in ``out``."""
    import numpy as np

    from curbside.retrieval.base import IndexedPassage
    from curbside.retrieval.tantivy_index import TantivyIndex
    from curbside.retrieval.usearch_index import UsearchIndex

    done = out / "built.json"
    if done.exists():
        return dict(json.loads(done.read_text()))
    passages, vectors = real_passages(work, nfcorpus, threads)
    n = len(passages)
    rng = np.random.default_rng(SEED)
    lexical = TantivyIndex(out / "lexical")
    dense = UsearchIndex(out / "dense", vectors.shape[1])
    saved = np.lib.format.open_memmap(out / "vectors.f16.npy", mode="w+", dtype=np.float16,
                                      shape=(size, vectors.shape[1]))
    timings = {"tantivy_s": 0.0, "usearch_s": 0.0, "prepare_s": 0.0}
    for start in range(0, size, BATCH):
        t0 = time.perf_counter()
        keys = np.arange(start + 1, min(size, start + BATCH) + 1, dtype=np.uint64)
        rows = (keys - 1) % n
        batch = []
        for key, row in zip(keys.tolist(), rows.tolist(), strict=True):
            p = passages[row]
            text = p.text if key <= n else vary(p.text, rng)
            batch.append(IndexedPassage(key=key, text=text, title=p.title, kind=p.kind,
                                        audience=p.audience, collection=p.collection, year=p.year))
        vecs = vectors[rows]
        copies = keys > n
        if copies.any():
            vecs[copies] = perturb(vecs[copies], rng)
        saved[start:start + len(keys)] = vecs.astype(np.float16)
        t1 = time.perf_counter()
        lexical.upsert(batch)
        t2 = time.perf_counter()
        # UsearchIndex.upsert adds with every core; the machine is shared, so add with one thread
        # through the same index object, then record the filter columns as upsert does.
        dense._index.add(keys, vecs, threads=threads)
        for p in batch:
            dense._columns.put(p)
        dense._columns.flush()
        t3 = time.perf_counter()
        timings["prepare_s"] += t1 - t0
        timings["tantivy_s"] += t2 - t1
        timings["usearch_s"] += t3 - t2
        print(f"  built {keys[-1]}/{size} ({time.perf_counter() - t0:.1f}s/batch)", file=sys.stderr,
              flush=True)
    t0 = time.perf_counter()
    lexical.commit()
    t1 = time.perf_counter()
    dense.commit()
    t2 = time.perf_counter()
    saved.flush()
    timings["tantivy_s"] += t1 - t0
    timings["usearch_s"] += t2 - t1
    info = {"size": size, "real_passages": n, "seed": SEED, "drop": DROP,
            "noise": float(os.environ.get("CURBSIDE_BENCH_NOISE", NOISE)),
            "build_threads": threads, "build_peak_rss_mb": peak_rss_mb(),
            **{k: round(v, 1) for k, v in timings.items()},
            "disk_mb": {"tantivy": _du(out / "lexical"), "usearch": _du(out / "dense")}}
    done.write_text(json.dumps(info, indent=2))
    return info


def _du(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def queries(nfcorpus: Path) -> list[str]:
    from curbside.eval.retrieval import BeirDataset

    return list(BeirDataset.load(nfcorpus).queries.values())


def measure_indexes(out: Path, work: Path, nfcorpus: Path, threads: int, exact_queries: int) -> dict[str, Any]:
    """In this (fresh) process: load both indexes, time each mode over the queries."""
    from curbside.retrieval.embedder import get_embedder
    from curbside.retrieval.fusion import reciprocal_rank_fusion
    from curbside.retrieval.tantivy_index import TantivyIndex
    from curbside.retrieval.usearch_index import UsearchIndex
    from curbside.settings import EmbeddingSettings

    settings = _settings(work, threads)
    cfg = settings.retrieval
    weights = {"bm25": cfg.lexical_weight, "dense": cfg.dense_weight}
    texts = queries(nfcorpus)
    with Timer() as load:
        embedder = get_embedder(EmbeddingSettings(threads=threads))
        lexical = TantivyIndex(out / "lexical")
        dense = UsearchIndex(out / "dense", embedder.dim)
    n, k = cfg.candidates, cfg.k
    parts: dict[str, list[float]] = {"embed": [], "bm25": [], "dense_search": [], "fusion": []}

    def bm25(q: str) -> Any:
        return lexical.search(q, n)[:k]

    def dense_only(q: str) -> Any:
        return dense.search(embedder.embed([q])[0], n)[:k]

    def hybrid(q: str) -> Any:
        t0 = time.perf_counter()
        vector = embedder.embed([q])[0]
        t1 = time.perf_counter()
        lex = lexical.search(q, n)
        t2 = time.perf_counter()
        den = dense.search(vector, n)
        t3 = time.perf_counter()
        fused = reciprocal_rank_fusion({"bm25": lex, "dense": den}, k=cfg.rrf_k, weights=weights)[:k]
        t4 = time.perf_counter()
        parts["embed"].append((t1 - t0) * 1000)
        parts["bm25"].append((t2 - t1) * 1000)
        parts["dense_search"].append((t3 - t2) * 1000)
        parts["fusion"].append((t4 - t3) * 1000)
        return fused

    result: dict[str, Any] = {"passages": dense.count(), "lexical_docs": lexical.count(),
                              "load_s": round(load.seconds, 1), "queries": len(texts),
                              "candidates": n, "k": k, "threads": threads}
    modes = {"bm25": bm25, "dense": dense_only, "hybrid": hybrid}
    for name, fn in modes.items():
        for q in texts:  # warm-up pass
            fn(q)
        for values in parts.values():
            values.clear()
        samples = []
        for q in texts:
            t0 = time.perf_counter()
            fn(q)
            samples.append((time.perf_counter() - t0) * 1000)
        result[name] = summary_ms(samples)
    result["hybrid_parts"] = {name: summary_ms(values) for name, values in parts.items()}
    result["peak_rss_mb"] = peak_rss_mb()
    result["exact_dense_baseline"] = exact_baseline(out, dense, embedder, texts[:exact_queries], k, n)
    return result


def exact_baseline(out: Path, dense: Any, embedder: Any, texts: list[str], k: int,
                   candidates: int) -> dict[str, Any]:
    """Brute-force cosine over every vector: latency and the HNSW's recall@k against it."""
    import numpy as np

    # Loaded as float32 in RAM once (after the peak RSS above was recorded): the timed part is
    # the scan itself, a matrix-vector product and a partial sort, with one thread.
    matrix = np.asarray(np.load(out / "vectors.f16.npy", mmap_mode="r"), dtype=np.float32)
    real = int(json.loads((out / "built.json").read_text())["real_passages"])
    samples: list[float] = []
    overlap = []
    originals = []
    for q in texts:
        vector = embedder.embed([q])[0].astype(np.float32)
        t0 = time.perf_counter()
        scores = matrix @ vector
        top = np.argpartition(-scores, k)[:k]
        exact = set((top[np.argsort(-scores[top])] + 1).tolist())
        samples.append((time.perf_counter() - t0) * 1000)
        approx = [h.key for h in dense.search(vector, candidates)]
        overlap.append(len(exact & set(approx[:k])) / k)
        # Copies of one passage are near-duplicates, so which copies make the exact top k is
        # noise; what fusion needs is the passage itself among its candidates.
        wanted = {(key - 1) % real for key in exact}
        found = {(key - 1) % real for key in approx}
        originals.append(len(wanted & found) / len(wanted))
    return {**summary_ms(samples), "hnsw_recall_at_k": round(float(np.mean(overlap)), 4),
            "hnsw_passage_recall_in_candidates": round(float(np.mean(originals)), 4),
            "candidates": candidates, "queries": len(texts)}


def build_kb(size: int, work: Path, nfcorpus: Path, threads: int) -> dict[str, Any]:
    """A knowledge base of about ``size`` passages: real NFCorpus sources copied with varied text."""
    import numpy as np

    from curbside.domain import Section, SourceDocument
    from curbside.eval.retrieval import BeirDataset
    from curbside.ingest.beir import BEIRAdapter
    from curbside.kb.service import KnowledgeBase
    from curbside.settings import EmbeddingSettings, load_settings

    directory = work / f"kb-scale-{size}"
    done = directory / "built.json"
    if done.exists():
        return dict(json.loads(done.read_text()))
    real = KnowledgeBase(_settings(work, threads))
    passages, vectors = real_passages(work, nfcorpus, threads)
    by_position: dict[tuple[str, int], int] = {}
    pk_source = real.store.passages_by_pk([p.key for p in passages])
    for row, p in enumerate(passages):
        passage, _ = pk_source[p.key]
        by_position[(passage.source_id, passage.position)] = row
    settings = load_settings(data_dir=directory, database_url="", starter_pack=False,
                             embedding=EmbeddingSettings(threads=threads))
    kb = KnowledgeBase(settings)
    originals = [d for d in BEIRAdapter().read(BeirDataset.load(nfcorpus).path / "corpus.jsonl")
                 if isinstance(d, SourceDocument)]
    rng = np.random.default_rng(SEED)
    t0 = time.perf_counter()
    copy = 0

    def copies(copy: int) -> Any:
        for doc in originals:
            if copy == 0:
                yield doc
                continue
            src = doc.source.model_copy(update={"id": f"{doc.source.id}~{copy}"})
            sections = [Section(headings=s.headings, text=vary(s.text, rng)) for s in doc.sections]
            yield SourceDocument(source=src, sections=sections, origin=f"copy {copy}")

    while kb.store.max_passage_pk() < size:
        kb.add_documents(copies(copy))
        copy += 1
    t1 = time.perf_counter()
    model = kb.embedder.name
    while batch := kb.store.passages_without_embedding(model, 5000):
        rows = []
        for stored in batch:
            original = stored.passage.source_id.split("~")[0]
            rows.append(by_position.get((original, stored.passage.position),
                                        by_position.get((original, 0), 0)))
        vecs = vectors[np.array(rows)]
        copied = np.array(["~" in s.passage.source_id for s in batch])
        if copied.any():
            vecs[copied] = perturb(vecs[copied], rng)
        kb.store.write_embeddings(model, [s.pk for s in batch], vecs)
    t2 = time.perf_counter()
    kb.sync_indexes()
    t3 = time.perf_counter()
    info = {"size": kb.store.max_passage_pk(), "copies": copy, "store_s": round(t1 - t0, 1),
            "vectors_s": round(t2 - t1, 1), "index_s": round(t3 - t2, 1),
            "peak_rss_mb": peak_rss_mb()}
    done.write_text(json.dumps(info, indent=2))
    return info


def measure_kb(size: int, work: Path, nfcorpus: Path, threads: int) -> dict[str, Any]:
    """Full KnowledgeBase.search (indexes, fusion and the SQL fetch of the top k), warm."""
    from curbside.kb.service import KnowledgeBase
    from curbside.settings import EmbeddingSettings, load_settings

    directory = work / f"kb-scale-{size}"
    settings = load_settings(data_dir=directory, database_url="", starter_pack=False,
                             embedding=EmbeddingSettings(threads=threads))
    kb = KnowledgeBase(settings)
    texts = queries(nfcorpus)
    result: dict[str, Any] = {"passages": kb.store.max_passage_pk(), "queries": len(texts),
                              "k": settings.retrieval.k, "candidates": settings.retrieval.candidates}
    for mode in ("bm25", "dense", "hybrid"):
        for q in texts:
            kb.search(q, mode=mode)
        samples = []
        for q in texts:
            t0 = time.perf_counter()
            kb.search(q, mode=mode)
            samples.append((time.perf_counter() - t0) * 1000)
        result[mode] = summary_ms(samples)
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def _child(args: argparse.Namespace, *extra: str) -> dict[str, Any]:
    """Run a phase in a fresh Python process (clean peak RSS, cold caches of Python objects)."""
    cmd = [sys.executable, __file__, "--work", str(args.work), "--nfcorpus", str(args.nfcorpus),
           "--threads", str(args.threads), "--exact-queries", str(args.exact_queries), *extra]
    proc = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--kb-size", type=int, default=100_000, help="0 skips the full-path measurement.")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--nfcorpus", type=Path, default=SHARED / "nfcorpus")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--exact-queries", type=int, default=50)
    parser.add_argument("--phase", choices=["all", "build", "query", "kb-build", "kb-query"], default="all")
    parser.add_argument("--size", type=int, default=0)
    args = parser.parse_args()
    limit_threads(args.threads)
    if args.phase != "all":
        out = scale_dir(args.work, args.size)
        out.mkdir(parents=True, exist_ok=True)
        if args.phase == "build":
            data = build(args.size, out, args.work, args.nfcorpus, args.threads)
        elif args.phase == "query":
            data = measure_indexes(out, args.work, args.nfcorpus, args.threads, args.exact_queries)
        elif args.phase == "kb-build":
            data = build_kb(args.size, args.work, args.nfcorpus, args.threads)
        else:
            data = measure_kb(args.size, args.work, args.nfcorpus, args.threads)
        print(json.dumps(data))
        return
    info = machine()
    results: dict[str, Any] = {"sizes": {}, "knowledge_base": {}}
    for size in args.sizes:
        print(f"size {size}: build", flush=True)
        built = _child(args, "--phase", "build", "--size", str(size))
        print(f"size {size}: query", flush=True)
        measured = _child(args, "--phase", "query", "--size", str(size))
        results["sizes"][str(size)] = {"build": built, "query": measured}
        print(json.dumps(measured, indent=1), flush=True)
    if args.kb_size:
        print(f"knowledge base {args.kb_size}: build", flush=True)
        built = _child(args, "--phase", "kb-build", "--size", str(args.kb_size))
        measured = _child(args, "--phase", "kb-query", "--size", str(args.kb_size))
        results["knowledge_base"] = {"build": built, "query": measured}
        print(json.dumps(measured, indent=1), flush=True)
    write_result("latency", results, info)


if __name__ == "__main__":
    main()
