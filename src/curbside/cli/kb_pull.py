"""``curbside kb pull …``: fetch sources from online services into the knowledge base."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from curbside.cli.context import open_kb
from curbside.cli.ui import console, handle_errors, out, print_ingest_report, print_json, progress_bars
from curbside.ingest.dailymed_client import DailyMedClient
from curbside.ingest.eutils import MAX_RESULTS, EUtilsClient
from curbside.kb.service import IngestReport
from curbside.settings import DailyMedSettings, PubMedSettings

pull_app = typer.Typer(help="Fetch sources from online services (PubMed, DailyMed) into the knowledge base.",
                       no_args_is_help=True)


def default_client(settings: PubMedSettings) -> EUtilsClient:
    """A client on a real HTTP connection to NCBI."""
    return EUtilsClient(settings)


#: Builds the E-utilities client. The seam for tests, which serve recorded responses instead.
client_factory: Callable[[PubMedSettings], EUtilsClient] = default_client


def default_dailymed_client(settings: DailyMedSettings) -> DailyMedClient:
    """A client on a real HTTP connection to DailyMed."""
    return DailyMedClient(settings)


#: Builds the DailyMed client. The seam for tests, which serve recorded responses instead.
dailymed_client_factory: Callable[[DailyMedSettings], DailyMedClient] = default_dailymed_client


def _print_pull(summary: dict[str, object], report: IngestReport | None, as_json: bool, found: str) -> None:
    """A pull's result: the summary and the ingest report as JSON, or the ``found`` line and the report."""
    if as_json:
        print_json({**summary, **(report.to_dict() if report else {})})
        return
    out.print(found, markup=False)
    if report is None:
        out.print("Nothing to add.")
        return
    print_ingest_report(report)


@pull_app.command("pubmed")
@handle_errors
def pubmed(
    query: Annotated[str, typer.Argument(help="A PubMed query, as on pubmed.ncbi.nlm.nih.gov.")],
    max_results: Annotated[int, typer.Option(
        "--max", min=1, max=MAX_RESULTS, help="How many of the matching articles to fetch.")] = 100,
    sort: Annotated[str, typer.Option(help="relevance or pub_date (newest first).")] = "relevance",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Search PubMed and ingest the abstracts of the matching articles.

    Uses NCBI E-utilities (ESearch, then EFetch in batches of 200) at NCBI's polite rate; set
    CURBSIDE_PUBMED__EMAIL and, for a higher rate, CURBSIDE_PUBMED__API_KEY. Articles without an
    abstract are reported and skipped; pulling the same query again adds only what changed.
    """
    kb = open_kb()
    with client_factory(kb.settings.pubmed) as client, progress_bars() as progress:
        found = client.search(query, max_results, sort=sort)
        for warning in found.warnings:
            console.print(f"[yellow]PubMed:[/] {warning}", highlight=False)
        report = kb.ingest(client.fetch_documents(found.pmids, progress=progress),
                           progress=progress, total=len(found.pmids)) if found.pmids else None
    summary = {"query": query, "query_translation": found.query_translation, "count": found.count,
               "fetched": len(found.pmids)}
    _print_pull(summary, report, as_json, f"PubMed: {found.count:,} articles match; fetching {len(found.pmids)}")


@pull_app.command("dailymed")
@handle_errors
def dailymed(
    name: Annotated[str, typer.Argument(help="A drug name (generic or brand), as DailyMed searches it.")],
    max_results: Annotated[int, typer.Option("--max", min=1, max=1000, help="How many matching labels to fetch.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Find a drug's labels on DailyMed and ingest their clinical sections (FDA SPL, public domain).

    Uses DailyMed's web services (spls.json, then each label's SPL XML) at a polite rate
    (CURBSIDE_DAILYMED__REQUESTS_PER_SECOND). Pulling again replaces a label whose text changed
    (a new SPL version keeps its set id) and adds only what is new.
    """

    kb = open_kb()
    with dailymed_client_factory(kb.settings.dailymed) as client, progress_bars() as progress:
        found = client.search(name, max_results)
        report = kb.ingest(client.fetch_documents(found.labels, progress=progress),
                           progress=progress, total=len(found.labels)) if found.labels else None
    summary = {"name": name, "count": found.total, "fetched": len(found.labels)}
    _print_pull(summary, report, as_json, f"DailyMed: {found.total:,} labels match; fetching {len(found.labels)}")
