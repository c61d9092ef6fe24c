"""``curbside eval …``: measure retrieval quality on standard benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from curbside.cli.ui import handle_errors, out, print_json, progress_bars
from curbside.eval.retrieval import DEFAULT_DEPTH, RetrievalReport, evaluate_beir
from curbside.settings import load_settings

app = typer.Typer(help="Evaluate retrieval on benchmark collections.", no_args_is_help=True)


@app.command("retrieval")
@handle_errors
def retrieval(
    beir: Annotated[Path, typer.Option(
        "--beir", exists=True, file_okay=False, dir_okay=True,
        help="A BEIR dataset directory (corpus.jsonl, queries.jsonl, qrels/).")],
    split: Annotated[str, typer.Option(help="Which qrels/<split>.tsv to score.")] = "test",
    k: Annotated[int, typer.Option(
        "--k", min=1, max=100, help="Cut-off of nDCG@k and Recall@k.")] = 10,
    limit_queries: Annotated[int | None, typer.Option(
        min=1, help="Score only the first N judged queries.")] = None,
    mode: Annotated[list[str] | None, typer.Option(
        help="Modes to run (default: bm25, dense, hybrid).")] = None,
    depth: Annotated[int, typer.Option(
        min=100, max=2000, help="Passages fetched per query.")] = DEFAULT_DEPTH,
    data_dir: Annotated[Path | None, typer.Option(
        help="Where the collection's own knowledge base lives "
             "(default: <data dir>/eval/beir-<name>).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Ingest a BEIR collection into a separate knowledge base and score BM25, dense and hybrid.

    Prints nDCG@k, Recall@k and Recall@100 per mode, computed as BEIR does. Your own knowledge
    base is not touched; a second run reuses the ingested collection.
    """
    with progress_bars() as progress:
        report = evaluate_beir(beir, split=split, k=k, limit_queries=limit_queries,
                               modes=mode or ("bm25", "dense", "hybrid"), depth=depth,
                               data_dir=data_dir, base=load_settings(), progress=progress)
    if as_json:
        print_json(report.to_dict())
        return
    _print_table(report)


def _print_table(report: RetrievalReport) -> None:
    k = report.k
    corpus = report.corpus
    table = Table(title=f"{report.dataset} ({report.split}, {report.queries} queries, "
                        f"{corpus['documents']} docs / {corpus['passages']} passages)")
    table.add_column("mode")
    columns = [f"ndcg@{k}", f"recall@{k}", "recall@100"] if k != 100 else ["ndcg@100", "recall@100"]
    for name in columns:
        table.add_column(name.replace("ndcg", "nDCG").replace("recall", "Recall"), justify="right")
    table.add_column("ms/query", justify="right")
    for mode in report.modes:
        scores = [f"{mode.scores[c]:.4f}" for c in columns]
        table.add_row(mode.mode, *scores, f"{mode.ms_per_query:.1f}")
    out.print(table)
