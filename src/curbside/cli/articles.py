"""``curbside articles …``: list, show and export the library of reviewed articles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from curbside.articles.models import STATE_LABELS, ArticleView, ReviewState
from curbside.articles.render import answer_markdown
from curbside.articles.service import ArticleService, ExportFormat
from curbside.cli.ui import console, handle_errors, out, print_rows
from curbside.domain import Audience
from curbside.settings import load_settings

app = typer.Typer(help="Articles: list, show and export the reviewed library.", no_args_is_help=True)


def open_articles() -> ArticleService:
    return ArticleService(load_settings())


def _status(view: ArticleView) -> str:
    latest = f"{STATE_LABELS[view.latest.state]} (version {view.latest.number})"
    if view.public is not None and view.public.id != view.latest.id:
        return f"{latest}; public: version {view.public.number}"
    return latest


def _summary(view: ArticleView) -> dict[str, object]:
    return {"slug": view.slug, "question": view.question, "audience": view.audience.value,
            "state": view.latest.state.value, "latest_version": view.latest.number,
            "public_version": view.public.number if view.public else None,
            "pending_review": view.pending_review, "views": view.views,
            "last_updated": view.last_updated.isoformat()}


@app.command("list")
@handle_errors
def list_articles(
        state: Annotated[ReviewState | None, typer.Option(
            help="Only articles whose newest version is in this state.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """Every article with the state of its newest version, public version and views."""
    views = [v for v in open_articles().list_articles() if state is None or v.latest.state == state]
    print_rows(views, as_json, _print_view, to_json=_summary,
               empty="No articles yet. Ask a question with `curbside serve` (web) to create one.")


def _print_view(view: ArticleView) -> None:
    out.print(f"[bold]{view.slug}[/]  [dim]{view.audience.value} · {_status(view)} · "
              f"{view.views} views · updated {view.last_updated.date().isoformat()}[/]")
    out.print(f"  {view.question}", markup=False)


@app.command("show")
@handle_errors
def show(slug: Annotated[str, typer.Argument(help="The article's slug (its address).")],
         audience: Annotated[Audience | None, typer.Option(
             help="Which audience variant (default: the one it was asked for).")] = None,
         as_json: Annotated[bool, typer.Option("--json", help="Print the article as JSON.")] = False
         ) -> None:
    """The article as readers see it (the approved text, if any), its status and audit trail."""
    service = open_articles()
    if as_json:
        print(service.export(slug, "json", audience=audience), end="")
        return
    view = service.view(slug, audience=audience)
    out.print(f"[bold]{view.question}[/]", highlight=False)
    out.print(f"status: {_status(view)} · last updated {view.last_updated.date().isoformat()}"
              + ("" if view.pending_review else " · reviewed by " + "; ".join(view.reviewed_by)),
              markup=False)
    if view.pending_review:
        out.print("[yellow]Educational purpose only • pending human review[/]")
    out.print()
    if view.withdrawn:
        out.print(f"[red]This article was {view.latest.state.value}.[/]")
    else:
        out.print(answer_markdown(view.displayed.answer), markup=False, highlight=False)
    out.print("[bold]History[/]")
    for event in service.history(slug):
        who = event.actor + (f", {event.actor_credentials}" if event.actor_credentials else "")
        change = f"{event.from_state.value if event.from_state else '—'} → {event.to_state.value}"
        comment = f": {event.comment}" if event.comment else ""
        out.print(f"  {event.at:%Y-%m-%d %H:%M} v{event.version_number} {event.audience.value} "
                  f"{event.action} ({change}) by {who}{comment}", markup=False, highlight=False)


@app.command("export")
@handle_errors
def export(slug: Annotated[str, typer.Argument(help="The article's slug.")],
           fmt: Annotated[ExportFormat, typer.Option("--format", help="Markdown or JSON.")] = ExportFormat.MARKDOWN,
           audience: Annotated[Audience | None, typer.Option(help="Which audience variant.")] = None,
           output: Annotated[Path | None, typer.Option(
               "--output", "-o", help="Write to this file instead of standard output.")] = None
           ) -> None:
    """Export an article: Markdown with front matter, or JSON with versions and history."""
    text = open_articles().export(slug, fmt.value, audience=audience)
    if output is None:
        print(text, end="")
        return
    output.write_text(text, encoding="utf-8")
    console.print(f"wrote {output}")


@app.command("sync-kb")
@handle_errors
def sync_kb() -> None:
    """Make the knowledge base hold exactly the approved articles (repairs an interrupted update)."""
    service = open_articles()
    service.apply_outbox()  # pending approvals first (marks them applied), then everything
    service.sync_knowledge_base()
    console.print("knowledge base in step with the approved articles")
