"""Retrieval quality on BEIR NFCorpus (and optionally SciFact): nDCG@10, Recall@10, Recall@100.

    python bench/quality.py [--scifact] [--work /tmp/curbside-bench] [--threads 1]

Each collection is ingested into its own knowledge base under --work (reused on later runs) and
evaluated in bm25, dense and hybrid mode through KnowledgeBase.search, exactly as
``curbside eval retrieval`` does. BM25 in the same run is the baseline. Retrieval settings come
from the environment (CURBSIDE_RETRIEVAL__RRF_K=…) so variants can be compared with --label.

SciFact is CC BY-NC 2.0: it is converted to BEIR layout under --work for benchmarking only and
never bundled. The conversion follows shared/data/scifact/SOURCE.md: corpus_train.csv is the BEIR
corpus (abstract = a numpy-printed list of sentences), the anserini topics are the queries and the
anserini qrels the test judgements.
"""

from __future__ import annotations

import argparse
import ast
import csv
import gzip
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_WORK, SHARED, limit_threads, machine, peak_rss_mb, write_result

#: Published BM25 figures of the BEIR paper (Thakur et al. 2021, Table 2 and Appendix), for context.
BEIR_PAPER_BM25 = {"nfcorpus": {"ndcg@10": 0.325, "recall@100": 0.250},
                   "scifact": {"ndcg@10": 0.665, "recall@100": 0.908}}

_PY_STRING = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\"""", re.S)


def scifact_sentences(abstract: str) -> list[str]:
    """Sentences of a corpus_train.csv abstract: a numpy-printed list of Python string literals."""
    return [str(ast.literal_eval(m.group(0))).strip() for m in _PY_STRING.finditer(abstract)]


def convert_scifact(source: Path, out: Path) -> Path:
    """Write SciFact in BEIR layout (corpus.jsonl, queries.jsonl, qrels/test.tsv) under ``out``."""
    done = out / ".converted"
    if done.exists():
        return out
    (out / "qrels").mkdir(parents=True, exist_ok=True)
    csv.field_size_limit(1 << 24)
    with (source / "corpus_train.csv").open(encoding="utf-8", newline="") as fh, \
            (out / "corpus.jsonl").open("w", encoding="utf-8") as corpus:
        for row in csv.DictReader(fh):
            text = " ".join(s for s in scifact_sentences(row["abstract"]) if s)
            corpus.write(json.dumps({"_id": row["doc_id"], "title": row["title"], "text": text,
                                     "metadata": {}}) + "\n")
    anserini = source / "anserini_beir_test"
    with gzip.open(anserini / "topics.beir-v1.0.0-scifact.test.tsv.gz", "rt", encoding="utf-8") as fh, \
            (out / "queries.jsonl").open("w", encoding="utf-8") as queries:
        for line in fh:
            qid, text = line.rstrip("\n").split("\t", 1)
            queries.write(json.dumps({"_id": qid, "text": text, "metadata": {}}) + "\n")
    with (anserini / "qrels.beir-v1.0.0-scifact.test.txt").open(encoding="utf-8") as fh, \
            (out / "qrels" / "test.tsv").open("w", encoding="utf-8") as qrels:
        qrels.write("query-id\tcorpus-id\tscore\n")
        for line in fh:
            qid, _, doc, rel = line.split()
            qrels.write(f"{qid}\t{doc}\t{rel}\n")
    done.write_text("ok\n")
    return out


def evaluate(path: Path, work: Path, threads: int) -> dict[str, Any]:
    from curbside.eval.retrieval import evaluate_beir
    from curbside.settings import EmbeddingSettings, load_settings

    base = load_settings(embedding=EmbeddingSettings(threads=threads))
    start = time.perf_counter()
    report = evaluate_beir(path, split="test", k=10, data_dir=work / f"kb-{path.name}", base=base)
    data = report.to_dict()
    data["wall_s"] = round(time.perf_counter() - start, 1)
    data["beir_paper_bm25"] = BEIR_PAPER_BM25.get(path.name.lower(), {})
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nfcorpus", type=Path, default=SHARED / "nfcorpus")
    parser.add_argument("--scifact", action="store_true", help="Also run SciFact (non-commercial data).")
    parser.add_argument("--scifact-source", type=Path, default=SHARED / "scifact")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--threads", type=int, default=1, help="Torch threads for embedding.")
    parser.add_argument("--label", default="", help="Save as quality-<label>.json (a tuning variant).")
    parser.add_argument("--note", default="", help="What the variant changes (shown in the report).")
    args = parser.parse_args()
    limit_threads(args.threads)
    info = machine()
    results: dict[str, Any] = {"note": args.note, "datasets": {}}
    results["datasets"]["nfcorpus"] = evaluate(args.nfcorpus, args.work, args.threads)
    print(json.dumps(results["datasets"]["nfcorpus"]["modes"], indent=1))
    if args.scifact:
        converted = convert_scifact(args.scifact_source, args.work / "beir" / "scifact")
        results["datasets"]["scifact"] = evaluate(converted, args.work, args.threads)
        print(json.dumps(results["datasets"]["scifact"]["modes"], indent=1))
    results["peak_rss_mb"] = peak_rss_mb()
    write_result("quality" + (f"-{args.label}" if args.label else ""), results, info)


if __name__ == "__main__":
    main()
