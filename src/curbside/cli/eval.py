"""``curbside eval …``: measure retrieval quality and answer quality on benchmark questions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from curbside.cli.ui import handle_errors, out, print_json, progress_bars
from curbside.domain import Answer, Audience
from curbside.eval.answers import DEFAULT_THRESHOLD, AnswerReport, QAItem, evaluate_answers, load_qa
from curbside.eval.retrieval import DEFAULT_DEPTH, RetrievalReport, evaluate_beir
from curbside.settings import load_settings

app = typer.Typer(help="Evaluate retrieval on benchmark collections and answers on QA files.", no_args_is_help=True)


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


@app.command("answers")
@handle_errors
def answers(
    qa: Annotated[Path, typer.Option(
        "--qa", exists=True, dir_okay=False,
        help="JSON Lines: 'question' and 'answer' (reference text) or 'must_have' (statements).")],
    audience: Annotated[Audience | None, typer.Option(
        help="Audience for every question (default: each line's 'audience', else the setting).")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Score only the first N questions.")] = None,
    threshold: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Cosine at which an answer statement covers a reference statement.")] = DEFAULT_THRESHOLD,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report (overall and per question) as JSON.")] = False,
) -> None:
    """Answer every question of a QA file from your knowledge base and score the answers.

    Reports the answered share, must-have coverage (semantic and strict content-token), ROUGE-L,
    citation support, references per answer, abstention reasons and latency, beside a baseline
    from the same run: the top retrieved passages cut to each answer's length.
    """
    from curbside.answer.service import AnswerService

    items = load_qa(qa)[:limit] if limit else load_qa(qa)
    service = AnswerService(load_settings())

    def who(item: QAItem) -> Audience | None:
        return audience or item.audience

    def ask(item: QAItem) -> Answer:
        return service.ask(item.question, audience=who(item))

    def retrieved(item: QAItem) -> list[str]:
        return [hit.passage.text for hit in service.retrieve(item.question, audience=who(item))]

    with progress_bars() as progress:
        progress.start("answers", len(items))
        report = evaluate_answers(items, ask, retrieved, service.kb.embedder,
                                  threshold=threshold, on_progress=lambda: progress.advance("answers"))
    if as_json:
        print_json(report.to_dict())
        return
    _print_answers(report)


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _print_answers(report: AnswerReport) -> None:
    overall = report.overall()
    table = Table(title=f"Answers ({overall.get('questions', 0)} questions; coverage at cosine ≥ {report.threshold})")
    table.add_column("measure")
    table.add_column("curbside", justify="right")
    table.add_column("baseline", justify="right")
    rows = [
        ("answered share", overall.get("answered_share"), None),
        ("coverage, all questions", overall.get("coverage"), overall.get("top1_coverage")),
        ("coverage, answered", overall.get("coverage_answered"), overall.get("baseline_coverage_answered")),
        ("token coverage, answered", overall.get("token_coverage_answered"),
         overall.get("baseline_token_coverage_answered")),
        ("ROUGE-L, answered", overall.get("rouge_l_answered"), overall.get("baseline_rouge_l_answered")),
        ("citation support", overall.get("citation_support_rate"), None),
        ("references per answer", overall.get("mean_references"), None),
        ("empty bottom lines", overall.get("empty_bottom_lines"), None),
        ("dangling lead-ins", overall.get("dangling_leadins"), None),
        ("latency p50 / p95 ms", f"{overall.get('latency_p50_ms', 0):.0f} / {overall.get('latency_p95_ms', 0):.0f}", None),
    ]
    for name, value, base in rows:
        table.add_row(name, _fmt(value), _fmt(base))
    out.print(table)
    out.print("Baseline: over all questions, the top retrieved passage shown as is; over answered ones, the top "
              "retrieved passages cut to the answer's length (both from this run).")
    kinds = overall.get("abstentions") or {}
    if isinstance(kinds, dict) and kinds:
        out.print("Abstentions: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
