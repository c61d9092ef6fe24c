"""Terminal rendering with rich. Passage text is never read as rich markup."""

from __future__ import annotations

from collections.abc import Sequence
from io import StringIO

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from curbside.answer.render.markdown import cite, condition_label, shown_citations
from curbside.domain import Answer, AnswerItem


def _item_lines(items: Sequence[AnswerItem], style: str, depth: int, out: list[RenderableType]) -> None:
    for i, item in enumerate(items, start=1):
        marker = f"{i}." if style in ("numbered", "algorithm") and depth == 0 else "•"
        line = Text("  " * (depth + 1) + f"{marker} ")
        if style == "algorithm" and depth == 0:
            line.append(condition_label(item.text), style="bold")
        else:
            line.append(item.text)
        line.append(cite(shown_citations(item, style, depth)), style="cyan")
        out.append(line)
        if item.children:
            _item_lines(item.children, "bullets", depth + 1, out)


def terminal_renderable(answer: Answer) -> Group:
    parts: list[RenderableType] = [Text(answer.title, style="bold underline"), Text("")]
    for notice in answer.notices:
        title = "URGENT" if notice.urgent else "Note"
        parts.append(Panel(Text(notice.text), title=title, border_style="red" if notice.urgent else "yellow"))
    if answer.abstained:
        parts += [Text(answer.abstain_reason, style="italic yellow"), Text("")]
    if answer.bottom_line.text:
        bottom = Text(answer.bottom_line.text, style="bold")
        bottom.append(cite(answer.bottom_line.citations), style="cyan")
        parts += [bottom, Text("")]
    for section in answer.sections:
        parts.append(Text(section.heading, style="bold magenta"))
        _item_lines(section.items, section.style, 0, parts)
        parts.append(Text(""))
    if answer.references:
        parts.append(Text("References", style="bold magenta"))
        for ref in answer.references:
            line = Text(f"  {ref.number}. ")
            line.append(ref.type, style="bold")
            line.append(f" — {ref.title}")
            where = ", ".join(str(p) for p in (ref.source, ref.year) if p)
            if where:
                line.append(f" ({where})", style="italic")
            if ref.url:
                line.append(f" {ref.url}", style="dim")
            parts.append(line)
        parts.append(Text(""))
    if answer.follow_ups:
        parts.append(Text("Follow-up questions", style="bold magenta"))
        parts += [Text(f"  • {q}") for q in answer.follow_ups]
        parts.append(Text(""))
    parts.append(Text(answer.disclaimer, style="dim italic"))
    return Group(*parts)


def render_terminal(answer: Answer, *, width: int = 100, color: bool = False) -> str:
    """The terminal rendering as a string (ANSI colours only when ``color``)."""
    buffer = StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, color_system="standard" if color else None,
                      highlight=False)
    console.print(terminal_renderable(answer))
    return buffer.getvalue()
