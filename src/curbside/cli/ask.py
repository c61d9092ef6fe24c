"""``curbside ask``: one question in, a cited article out (or an honest abstention)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from curbside.answer.audience import AudienceName, parse_audience
from curbside.answer.composers import ComposerName
from curbside.answer.render import render_html, render_json, render_markdown
from curbside.answer.render.terminal import terminal_renderable
from curbside.answer.service import AnswerService
from curbside.cli.context import open_kb
from curbside.cli.ui import console, handle_errors, out
from curbside.errors import InputError


class AskFormat(StrEnum):
    """What ``curbside ask --format`` prints (``--json`` prints the answer contract)."""

    MARKDOWN = "markdown"
    TERMINAL = "terminal"
    HTML = "html"


FORMATS = tuple(f.value for f in AskFormat)
#: The audiences --help lists; the other names of ``AudienceName`` are accepted too.
AUDIENCES = ("clinician", "patient", "caregiver")


def _choices(values: tuple[str, ...]) -> str:
    """The values listed in --help."""
    return "<" + "|".join(values) + ">"


def _audience(value: str) -> AudienceName | None:
    """--audience in any case (empty: the setting, as if not given); curbside's InputError, not a
    usage error, for a name it does not know (printed in the one error shape: ``ErrorShapeCommand``)."""
    if not value:
        return None
    parse_audience(value)
    return AudienceName(value.strip().lower())


def _format(value: str) -> AskFormat:
    """--format; curbside's InputError for another, as for --audience."""
    if value not in FORMATS:
        raise InputError(f"Unknown format {value!r}; use one of {', '.join(FORMATS)}.")
    return AskFormat(value)


@handle_errors
def ask(question: Annotated[str, typer.Argument(help="The question, in quotes.")],
        audience: Annotated[AudienceName | None, typer.Option(
            "--audience", parser=_audience, metavar=_choices(AUDIENCES), autocompletion=lambda: AUDIENCES,
            help="clinician (default) or patient; caregiver reads as patient.")] = None,
        as_json: Annotated[bool, typer.Option(
            "--json", is_eager=True, help="Print the answer contract as JSON.")] = False,
        fmt: Annotated[AskFormat | None, typer.Option(
            "--format", parser=_format, metavar=_choices(FORMATS), autocompletion=lambda: FORMATS,
            help="markdown, terminal or html (default: terminal on a terminal, else markdown).")] = None,
        thread: Annotated[str | None, typer.Option(
            "--thread", help="Continue a conversation: the thread id printed after an earlier answer.")] = None,
        composer: Annotated[ComposerName | None, typer.Option(
            "--composer", help="extractive (default, no model) or llm (needs llm.base_url).")] = None) -> None:
    """Answer a medical question from the knowledge base, with numbered citations.

    Informational only; not medical advice. When the knowledge base does not cover the question,
    curbside says so instead of answering.
    """
    kb = open_kb(check_indexes=True)
    service = AnswerService(kb.settings, kb)
    answer = service.ask(question, audience=audience.value if audience else None, thread_id=thread,
                         composer=composer.value if composer else None)
    if as_json:
        print(render_json(answer))
        return
    chosen = fmt or (AskFormat.TERMINAL if out.is_terminal else AskFormat.MARKDOWN)
    if chosen == AskFormat.TERMINAL:
        out.print(terminal_renderable(answer))
    elif chosen == AskFormat.HTML:
        sys.stdout.write(render_html(answer))
    else:
        sys.stdout.write(render_markdown(answer))
    console.print(f"[dim]thread {answer.thread_id}: ask a follow-up with "
                  f"curbside ask --thread {answer.thread_id} \"…\"[/]", highlight=False)
