"""Check curbside.eval.metrics against pytrec_eval on real runs (NFCorpus, every mode).

    python bench/crosscheck_pytrec.py --dump /tmp/curbside-bench/runs.json
    /path/to/venv-with-pytrec_eval/bin/python bench/crosscheck_pytrec.py --check /tmp/curbside-bench/runs.json

pytrec_eval is not a curbside dependency: the first command (curbside's environment) writes the
runs, the qrels and curbside's per-query scores; the second (any Python with pytrec_eval, e.g.
``pip install pytrec-eval-terrier``) recomputes them with trec_eval and reports the largest
difference.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_WORK, SHARED, write_result


def dump(path: Path, work: Path, nfcorpus: Path) -> None:
    from curbside.eval import metrics
    from curbside.eval.retrieval import BeirDataset, eval_settings, ingest_corpus, run_queries
    from curbside.kb.service import KnowledgeBase
    from curbside.settings import EmbeddingSettings, load_settings

    dataset = BeirDataset.load(nfcorpus)
    base = load_settings(embedding=EmbeddingSettings(threads=1))
    kb = KnowledgeBase(eval_settings(base, dataset.name, work / "kb-nfcorpus"))
    ingest_corpus(kb, dataset)
    out = {"qrels": dataset.qrels, "modes": {}}
    for mode in ("bm25", "dense", "hybrid"):
        run, _ = run_queries(kb, dataset, mode)
        out["modes"][mode] = {"run": run, "ours": metrics.per_query(dataset.qrels, run, (10, 100))}
    path.write_text(json.dumps(out))
    print(f"wrote {path}")


def check(path: Path) -> None:
    import pytrec_eval

    data = json.loads(path.read_text())
    worst = 0.0
    summary: dict[str, object] = {"pytrec_eval": getattr(pytrec_eval, "__version__", "?"), "modes": {}}
    for mode, entry in data["modes"].items():
        evaluator = pytrec_eval.RelevanceEvaluator(data["qrels"], {"ndcg_cut.10", "recall.10", "recall.100"})
        theirs = evaluator.evaluate(entry["run"])
        names = {"ndcg_cut_10": "ndcg@10", "recall_10": "recall@10", "recall_100": "recall@100"}
        diffs = [abs(theirs[q][t] - entry["ours"][q][o]) for q in theirs for t, o in names.items()]
        means = {o: sum(theirs[q][t] for q in theirs) / len(theirs) for t, o in names.items()}
        worst = max(worst, *diffs)
        print(f"{mode}: {len(theirs)} queries, pytrec_eval means {means}, max |diff| {max(diffs):.2e}")
        summary["modes"][mode] = {"queries": len(theirs), "pytrec_eval_means": means,  # type: ignore[index]
                                  "max_abs_diff": max(diffs)}
    print(f"largest per-query difference: {worst:.2e}")
    summary["max_abs_diff"] = worst
    write_result("crosscheck_pytrec", summary)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--check", type=Path)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--nfcorpus", type=Path, default=SHARED / "nfcorpus")
    args = parser.parse_args()
    if args.dump:
        dump(args.dump, args.work, args.nfcorpus)
    if args.check:
        check(args.check)


if __name__ == "__main__":
    main()
