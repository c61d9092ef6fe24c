"""``curbside consult …``: import, export, list and show consults."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from curbside.cli.ui import console, handle_errors, out, print_json, print_rows, settings_from_context
from curbside.consult.models import Consult, ConsultState, ConsultView
from curbside.consult.service import ConsultService

app = typer.Typer(help="The consult board: patients' questions and doctors' replies, de-identified.",
                  no_args_is_help=True)


def _service() -> ConsultService:
    from curbside.answer.service import AnswerService
    from curbside.kb.packs import ensure_starter_pack
    from curbside.kb.service import KnowledgeBase

    settings = settings_from_context()
    kb = KnowledgeBase(settings)
    if settings.starter_pack:
        ensure_starter_pack(kb)
    return ConsultService(settings, AnswerService(settings, kb=kb), kb=kb)


@app.command("import")
@handle_errors
def import_(path: Annotated[Path, typer.Argument(help="JSON lines: question, age_band, sex, asked_on, "
                                                      "display_name?, replies: [{doctor, specialty, text, replied_on}].",
                                                 exists=True, dir_okay=False)],
            more_info: Annotated[bool, typer.Option(help="Compose More Info for published consults.")] = True,
            as_json: Annotated[bool, typer.Option("--json", help="Print the new ids as JSON.")] = False) -> None:
    """Import a clinic's consults; those with replies are published (de-identified first)."""
    with path.open(encoding="utf-8") as lines:
        ids = _service().import_lines(lines, more_info=more_info)
    if as_json:
        print_json({"imported": ids})
    else:
        out.print(f"imported {len(ids)} consults")


@app.command("export")
@handle_errors
def export(path: Annotated[Path | None, typer.Argument(help="File to write; standard output when omitted.")] = None
           ) -> None:
    """Every consult as JSON lines in the import shape (de-identified text only)."""
    lines = list(_service().export_lines())
    if path is None:
        for line in lines:
            print(line)
    else:
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        console.print(f"wrote {len(lines)} consults to {path}")


@app.command("list")
@handle_errors
def list_(state: Annotated[ConsultState | None, typer.Option(help="Only consults in this state (default: published).")]
          = ConsultState.PUBLISHED,
          topic: Annotated[str, typer.Option(help="Only consults on this topic.")] = "",
          limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 50,
          as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List consults, newest first."""
    consults = _service().list_consults(state=state, topic=topic, limit=limit)
    print_rows(consults, as_json, _print_consult)


def _print_consult(c: Consult) -> None:
    doctors = ", ".join(f"{r.byline} ({r.specialty})" for r in c.replies) or "no reply yet"
    out.print(f"{c.id:>5}  {c.asked_on}  {c.state.value:<14} {c.title}  — {doctors}", markup=False)


@app.command("show")
@handle_errors
def show(consult_id: Annotated[int, typer.Argument(help="Consult id.")],
         as_json: Annotated[bool, typer.Option("--json", help="Print consult, more_info, similar and related_faq.")]
         = False) -> None:
    """Show a consult with its More Info, Similar Q&A and Related FAQ."""
    view = _service().view(consult_id, public=False)
    if as_json:
        print_json(_json(view))
        return
    _print(view)


def _json(view: ConsultView) -> dict[str, object]:
    data = view.model_dump(mode="json")
    consult = data.pop("consult")
    return {"consult": consult, "notices": data["notices"], "more_info": data["more_info"],
            "more_info_label": data["more_info_label"], "similar": data["similar"], "related_faq": data["related_faq"]}


def _print(view: ConsultView) -> None:
    c = view.consult
    for notice in view.notices:
        out.print(f"! {notice.text}", markup=False)
    out.print(c.title, markup=False)
    out.print(c.question, markup=False)
    out.print(f"{c.display_name}, {c.age_band} year old {c.sex}. Ask Date: {c.asked_on:%Y/%m/%d}", markup=False)
    for r in c.replies:
        out.print(f"\n{r.byline} reply · {r.specialty}\n{r.text}\nReply Date: {r.replied_on:%Y/%m/%d}", markup=False)
    if view.more_info is not None and not view.more_info.abstained:
        out.print(f"\n{view.more_info_label}\n{view.more_info.bottom_line.text}", markup=False)
    elif c.more_info_state.value == "held":
        out.print("\nMore Info is held for an editor.", markup=False)
    if view.similar:
        out.print("\nSimilar Q&A", markup=False)
        for s in view.similar:
            out.print(f"  [{s.id}] {s.title} — {s.byline} reply · {s.specialty}", markup=False)
    if view.related_faq:
        out.print("\nRelated FAQ: " + "; ".join(f"{t.topic} ({t.specialty})" for t in view.related_faq), markup=False)
