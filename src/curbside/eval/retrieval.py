"""Retrieval quality on a BEIR collection: ingest its corpus, run its queries, score the rankings.

Passages are what curbside retrieves; BEIR judges documents. A query asks for ``depth`` passages
(and as many candidates from each retriever), and each document takes the rank of its best
passage, so a ranking of documents falls out in the system's own order.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curbside.errors import InputError
from curbside.eval import metrics
from curbside.ingest.beir import CORPUS_FILE, BEIRAdapter, doc_id_of, load_qrels, load_queries
from curbside.kb.service import MODES, IngestReport, KnowledgeBase
from curbside.progress import SILENT, Progress
from curbside.settings import Settings, load_settings

DEFAULT_DEPTH = 300


@dataclass(frozen=True)
class BeirDataset:
    """A BEIR directory: its name, queries and the judgements of one split."""

    path: Path
    name: str
    split: str
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]

    @classmethod
    def load(cls, path: Path, split: str = "test", *,
             limit_queries: int | None = None) -> BeirDataset:
        path = path.resolve()
        if not (path / CORPUS_FILE).exists():
            raise InputError(f"{path} has no {CORPUS_FILE}; "
                             "point --beir at an unzipped BEIR dataset.")
        queries = load_queries(path)
        qrels = {q: j for q, j in load_qrels(path, split).items() if metrics.has_relevant(j)}
        missing = sorted(set(qrels) - set(queries))
        if missing:
            raise InputError(f"{len(missing)} judged queries of split {split!r} are not in "
                             f"queries.jsonl (e.g. {missing[0]}).")
        ids = sorted(qrels)
        if limit_queries is not None:
            ids = ids[:limit_queries]
        return cls(path, path.name, split, {q: queries[q] for q in ids}, {q: qrels[q] for q in ids})


@dataclass
class ModeResult:
    mode: str
    scores: dict[str, float]
    queries_with_hit: int
    ms_per_query: float
    per_query: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class RetrievalReport:
    dataset: str
    split: str
    queries: int
    k: int
    depth: int
    corpus: dict[str, int]
    settings: dict[str, Any]
    modes: list[ModeResult]

    def to_dict(self, *, per_query: bool = False) -> dict[str, Any]:
        modes: dict[str, Any] = {}
        for m in self.modes:
            entry: dict[str, Any] = {**{k: round(v, 4) for k, v in m.scores.items()},
                                     "queries_with_hit": m.queries_with_hit,
                                     "ms_per_query": round(m.ms_per_query, 2)}
            if per_query:
                entry["per_query"] = m.per_query
            modes[m.mode] = entry
        return {"dataset": self.dataset, "split": self.split, "queries": self.queries,
                "k": self.k, "depth": self.depth, "corpus": self.corpus,
                "settings": self.settings, "modes": modes}


def eval_settings(base: Settings, dataset_name: str, data_dir: Path | None = None) -> Settings:
    """Settings for a throw-away knowledge base of one collection (SQLite, no starter pack)."""
    directory = data_dir or base.data_dir / "eval" / f"beir-{dataset_name}"
    return load_settings(data_dir=directory, database_url="", starter_pack=False,
                         chunking=base.chunking, embedding=base.embedding, retrieval=base.retrieval)


def ingest_corpus(kb: KnowledgeBase, dataset: BeirDataset, *,
                  progress: Progress = SILENT) -> IngestReport:
    """Load the dataset's corpus into ``kb`` (unchanged documents are skipped on a second run)."""
    return kb.ingest(BEIRAdapter().read(dataset.path / CORPUS_FILE), progress=progress)


def run_queries(kb: KnowledgeBase, dataset: BeirDataset, mode: str, depth: int = DEFAULT_DEPTH,
                *, progress: Progress = SILENT) -> tuple[dict[str, dict[str, float]], float]:
    """Each query's ranked documents as ``{doc id: score}`` (falling with rank), and ms/query."""
    run: dict[str, dict[str, float]] = {}
    task = f"queries {mode}"
    progress.start(task, len(dataset.queries))
    start = time.perf_counter()
    for query_id, text in dataset.queries.items():
        hits = kb.search(text, k=depth, mode=mode, candidates=depth)
        docs: dict[str, float] = {}
        for hit in hits:
            doc = doc_id_of(hit.source.id, dataset.name)
            if doc is not None and doc not in docs:
                docs[doc] = float(depth - len(docs))
        run[query_id] = docs
        progress.advance(task)
    elapsed = (time.perf_counter() - start) * 1000
    return run, elapsed / max(1, len(dataset.queries))


def evaluate_kb(kb: KnowledgeBase, dataset: BeirDataset, *,
                modes: Sequence[str] = ("bm25", "dense", "hybrid"), k: int = 10,
                depth: int = DEFAULT_DEPTH, progress: Progress = SILENT) -> RetrievalReport:
    """Run every query of the dataset in each mode and score nDCG@k, Recall@k and Recall@100."""
    _check_modes(modes)
    if not dataset.queries:
        raise InputError(f"Split {dataset.split!r} of {dataset.name} has no judged queries.")
    k_values = sorted({k, 100})
    results: list[ModeResult] = []
    for mode in modes:
        run, ms = run_queries(kb, dataset, mode, max(depth, *k_values), progress=progress)
        scored = metrics.per_query(dataset.qrels, run, k_values)
        hit = sum(1 for q in scored if scored[q][f"recall@{k}"] > 0)
        results.append(ModeResult(mode, metrics.mean_scores(scored), hit, ms, scored))
    stats = kb.store.stats()
    corpus = {"documents": _int(stats["sources"]), "passages": _int(stats["passages"])}
    cfg = kb.settings
    recorded = {"retrieval": cfg.retrieval.model_dump(mode="json"), "chunker": kb.chunker.version,
                "embedder": kb.embedder.name}
    return RetrievalReport(dataset.name, dataset.split, len(dataset.queries), k, depth, corpus,
                           recorded, results)


def evaluate_beir(path: Path, *, split: str = "test", k: int = 10, limit_queries: int | None = None,
                  modes: Sequence[str] = ("bm25", "dense", "hybrid"), depth: int = DEFAULT_DEPTH,
                  data_dir: Path | None = None, base: Settings | None = None,
                  progress: Progress = SILENT) -> RetrievalReport:
    """Ingest a BEIR directory into its own knowledge base and evaluate it."""
    _check_modes(modes)
    dataset = BeirDataset.load(path, split, limit_queries=limit_queries)
    settings = eval_settings(base or load_settings(), dataset.name, data_dir)
    kb = KnowledgeBase(settings)
    ingested = ingest_corpus(kb, dataset, progress=progress)
    report = evaluate_kb(kb, dataset, modes=modes, k=k, depth=depth, progress=progress)
    report.corpus["skipped_records"] = len(ingested.problems)
    return report


def _check_modes(modes: Sequence[str]) -> None:
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise InputError(f"Unknown mode {unknown[0]!r}; use {', '.join(MODES)}.")


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float | str) else 0
