"""HNSW search breadth against exact search on the scale indexes bench/latency.py built.

    python bench/hnsw_sweep.py [--size 1000000] [--queries 50]

For each usearch expansion_search value: dense search latency (100 candidates, one thread) and
the recall of the exact top-10 against the HNSW candidates, both per key and per original passage
(copies of one passage are near-duplicates, so which copies make the exact top 10 is noise).
CURBSIDE_BENCH_NOISE=x measures the variant built with that noise (see bench/latency.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_WORK, SHARED, limit_threads, machine, summary_ms, write_result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--nfcorpus", type=Path, default=SHARED / "nfcorpus")
    args = parser.parse_args()
    limit_threads(1)
    info = machine()
    import numpy as np
    from latency import scale_dir

    from curbside.eval.retrieval import BeirDataset
    from curbside.retrieval.embedder import get_embedder
    from curbside.retrieval.usearch_index import UsearchIndex
    from curbside.settings import EmbeddingSettings

    out = scale_dir(args.work, args.size)
    noise = json.loads((out / "built.json").read_text())["noise"]
    real = int(json.loads((out / "built.json").read_text())["real_passages"])
    embedder = get_embedder(EmbeddingSettings(threads=1))
    dense = UsearchIndex(out / "dense", embedder.dim)
    texts = list(BeirDataset.load(args.nfcorpus).queries.values())[: args.queries]
    vectors = embedder.embed(texts)
    matrix = np.asarray(np.load(out / "vectors.f16.npy", mmap_mode="r"), dtype=np.float32)
    exact = []
    for v in vectors:
        scores = matrix @ v
        top = np.argpartition(-scores, 10)[:10]
        exact.append(set((top + 1).tolist()))
    del matrix
    results: dict[str, Any] = {"size": args.size, "noise": noise, "queries": len(texts),
                               "candidates": 100, "sweep": []}
    for ef in (64, 96, 200, 400, 800):
        dense._index.expansion_search = ef
        samples, keys, passages = [], [], []
        for v, want in zip(vectors, exact, strict=True):
            dense.search(v, 100)
            t0 = time.perf_counter()
            hits = dense.search(v, 100)
            samples.append((time.perf_counter() - t0) * 1000)
            got = [h.key for h in hits]
            keys.append(len(want & set(got[:10])) / 10)
            wanted = {(k - 1) % real for k in want}
            passages.append(len(wanted & {(k - 1) % real for k in got}) / len(wanted))
        row = {"expansion_search": ef, **summary_ms(samples),
               "recall_at_10_keys": round(float(np.mean(keys)), 4),
               "passage_recall_in_100": round(float(np.mean(passages)), 4)}
        results["sweep"].append(row)
        print(row, flush=True)
    suffix = "" if os.environ.get("CURBSIDE_BENCH_NOISE") is None else f"_noise{noise}"
    write_result(f"hnsw_sweep_{args.size}{suffix}", results, info)


if __name__ == "__main__":
    main()
