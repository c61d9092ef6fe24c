"""``curbside kb …``: add sources, search, stats, install the starter pack."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from curbside.cli.context import open_kb
from curbside.cli.kb_pull import pull_app
from curbside.cli.ui import console, handle_errors, out, print_ingest_report, print_json, print_rows, progress_bars
from curbside.domain import Audience, SearchFilters, SearchHit, SourceKind
from curbside.errors import CurbsideError, IndexUnavailableError, InputError
from curbside.ingest.registry import list_files, read_paths
from curbside.kb.packs import install_pack, starter_pack_dir
from curbside.settings import load_settings

app = typer.Typer(help="The knowledge base: add sources, search, statistics.", no_args_is_help=True)


@app.command("add")
@handle_errors
def add(paths: Annotated[list[Path], typer.Argument(help="Files or directories to ingest.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False) -> None:
    """Ingest files (MedQuAD XML, PubMed XML, PubMedQA JSON, BEIR jsonl, DailyMed SPL XML or zip, MedlinePlus topics XML, PMC JATS, Markdown, HTML, PDF).

    Unchanged files add nothing; a broken file is reported and skipped; an interrupted run can be
    started again and finishes the work.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InputError(f"No such file or directory: {', '.join(missing)}")
    kb = open_kb()
    files = list_files(paths)
    if not files:
        raise InputError("No files found under the given paths.")
    with progress_bars() as progress:
        limit = kb.settings.dailymed.max_expanded_mb * 1024 * 1024
        report = kb.ingest(read_paths(files, max_expanded_bytes=limit), progress=progress, added_by=_who())
    if as_json:
        print_json(report.to_dict())
        return
    print_ingest_report(report)


@app.command("search")
@handle_errors
def search(query: Annotated[str, typer.Argument(help="What to look for.")],
           k: Annotated[int, typer.Option("--k", min=1, max=1000, help="How many results.")] = 10,
           mode: Annotated[str, typer.Option(help="hybrid, bm25 or dense.")] = "hybrid",
           kind: Annotated[list[SourceKind] | None, typer.Option(help="Only these source kinds.")] = None,
           audience: Annotated[list[Audience] | None, typer.Option(help="Only sources for this audience.")] = None,
           year_min: Annotated[int | None, typer.Option(help="Published in or after this year.")] = None,
           year_max: Annotated[int | None, typer.Option(help="Published in or before this year.")] = None,
           as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False) -> None:
    """Hybrid search (BM25 + dense vectors, fused by reciprocal rank) over the knowledge base."""
    kb = open_kb(check_indexes=True)
    filters = SearchFilters(kinds=kind or [], audiences=audience or [], year_min=year_min, year_max=year_max)
    hits = kb.search(query, k=k, filters=filters, mode=mode)
    print_rows(hits, as_json, _print_hit, empty="No results.")


def _print_hit(hit: SearchHit) -> None:
    src = hit.source
    ranks = []
    if hit.lexical:
        ranks.append(f"bm25 #{hit.lexical.rank}")
    if hit.dense:
        ranks.append(f"dense #{hit.dense.rank} ({hit.dense.score:.2f})")
    year = f", {src.year}" if src.year else ""
    out.print(f"[bold]{hit.rank}. {src.title}[/] — {src.publisher}{year} [dim]({src.kind.value}; {', '.join(ranks)})[/]")
    heading = " > ".join(hit.passage.headings)
    if heading:
        out.print(f"   [italic]{heading}[/]")
    text = hit.passage.text
    out.print("   " + (text[:400] + "…" if len(text) > 400 else text), markup=False)
    if src.url:
        out.print(f"   [dim]{src.url}[/]")


@app.command("stats")
@handle_errors
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """Counts of sources and passages, and how each index was built."""
    from curbside.kb.health import REPAIR, quick_check

    kb = open_kb()
    problems = quick_check(kb)
    if problems:  # e.g. 0 indexed against thousands of passages: say so, and the repair
        raise IndexUnavailableError("The search indexes disagree with the database ("
                                    + "; ".join(problems) + f"). Repair them with {REPAIR}.",
                                    details={"indexes": problems})
    try:
        data = kb.stats()
    except CurbsideError:
        raise
    except Exception as exc:  # an index file that cannot be read: say which, and the repair
        from curbside.kb.health import inspect_indexes

        damaged = [r for r in inspect_indexes(kb) if r.error] or None
        what = "; ".join(r.describe() for r in damaged) if damaged else f"{type(exc).__name__}: {exc}"[:300]
        raise IndexUnavailableError(f"A search index cannot be read ({what}). Repair it with {REPAIR}.") from exc
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        out.print(f"[bold]{key}[/]: {value}")


def _who() -> str:
    """Who runs ``kb add`` (recorded on local documents as their provenance)."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown user"


@app.command("rebuild")
@handle_errors
def rebuild(as_json: Annotated[bool, typer.Option("--json", help="Print the check as JSON.")] = False
            ) -> None:
    """Rebuild both search indexes from the database (after damage, or a count that disagrees).

    Nothing is re-embedded: the vectors are kept in the database. Waits for a running server's
    index write to finish first.
    """
    from curbside.kb.health import inspect_indexes, rebuild_indexes

    kb = open_kb(install_starter=False)
    with progress_bars() as progress:
        rebuild_indexes(kb, progress=progress)
    reports = inspect_indexes(kb)
    if as_json:
        print_json([{"index": r.name, "expected": r.expected, "found": r.found, "ok": r.ok,
                     "error": r.error} for r in reports])
        return
    for report in reports:
        console.print(("ok  " if report.ok else "BAD ") + report.describe(), highlight=False)


@app.command("install-pack")
@handle_errors
def install(path: Annotated[Path | None, typer.Argument(help="Pack directory (default: the bundled starter pack).")] = None) -> None:
    """Install a knowledge pack (precomputed passages and vectors); installing twice adds nothing."""
    kb = open_kb(install_starter=False)
    with progress_bars() as progress:
        added = install_pack(kb, path or starter_pack_dir(), progress=progress)
    console.print(f"pack installed: {added} passages added")


@app.command("migrate")
@handle_errors
def migrate(
    to: Annotated[str, typer.Option("--to", help="Target backend: milvus or embedded.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Build the indexes of another retrieval backend from the database (resumable).

    Fills the target (Milvus: one collection with BM25 and dense; embedded: tantivy + usearch)
    from the passages and vectors in the database, batch by batch with a watermark, so an
    interrupted run continues where it stopped. Then set CURBSIDE_RETRIEVAL__BACKEND to the
    target. The old backend's indexes are left as they are (moving back is instant if they
    are still current, and catches up otherwise).
    """
    from curbside.kb.migrate import migrate_indexes

    if to not in ("milvus", "embedded"):
        raise InputError(f"Unknown backend {to!r}: use --to milvus or --to embedded.")
    settings = load_settings()
    with progress_bars() as progress:
        report = migrate_indexes(settings, "milvus" if to == "milvus" else "embedded",
                                 progress=progress)
    if as_json:
        print_json(report.to_dict())
        return
    console.print(f"migrated to {to}: {report.passages} passages, BM25 {report.lexical_count}, "
                  f"dense {report.dense_count}. Now set CURBSIDE_RETRIEVAL__BACKEND={to}.",
                  highlight=False)



app.add_typer(pull_app, name="pull")

from curbside.cli.kb_maintain import register as _register_maintenance  # noqa: E402

_register_maintenance(app)
