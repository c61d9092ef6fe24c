"""``curbside ask``: one question in, a cited article out (or an honest abstention)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from curbside.answer.composers import ComposerName
from curbside.answer.render import render_html, render_json, render_markdown
from curbside.answer.render.terminal import terminal_renderable
from curbside.answer.service import AnswerService
from curbside.cli.context import open_kb
from curbside.cli.ui import console, handle_errors, out
from curbside.errors import InputError

FORMATS = ("markdown", "terminal", "html")
AUDIENCES = ("clinician", "patient", "caregiver")


def _choices(values: tuple[str, ...]) -> str:
    """The values listed in --help; a value outside them is reported by the command in the one
    error shape (JSON with --json), not by the option parser."""
    return "<" + "|".join(values) + ">"


@handle_errors
def ask(question: Annotated[str, typer.Argument(help="The question, in quotes.")],
        audience: Annotated[str | None, typer.Option(
            "--audience", metavar=_choices(AUDIENCES), autocompletion=lambda: AUDIENCES,
            help="clinician (default) or patient; caregiver reads as patient.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the answer contract as JSON.")] = False,
        fmt: Annotated[str | None, typer.Option(
            "--format", metavar=_choices(FORMATS), autocompletion=lambda: FORMATS, help="markdown, terminal or html (default: terminal on a terminal, else markdown).")] = None,
        thread: Annotated[str | None, typer.Option(
            "--thread", help="Continue a conversation: the thread id printed after an earlier answer.")] = None,
        composer: Annotated[ComposerName | None, typer.Option(
            "--composer", help="extractive (default, no model) or llm (needs llm.base_url).")] = None) -> None:
    """Answer a medical question from the knowledge base, with numbered citations.

    Informational only; not medical advice. When the knowledge base does not cover the question,
    curbside says so instead of answering.
    """
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    kb = open_kb()
    service = AnswerService(kb.settings, kb)
    answer = service.ask(question, audience=audience, thread_id=thread,
                         composer=composer.value if composer else None)
    if as_json:
        print(render_json(answer))
        return
    chosen = fmt or ("terminal" if out.is_terminal else "markdown")
    if chosen == "terminal":
        out.print(terminal_renderable(answer))
    elif chosen == "html":
        sys.stdout.write(render_html(answer))
    else:
        sys.stdout.write(render_markdown(answer))
    console.print(f"[dim]thread {answer.thread_id}: ask a follow-up with "
                  f"curbside ask --thread {answer.thread_id} \"…\"[/]", highlight=False)
