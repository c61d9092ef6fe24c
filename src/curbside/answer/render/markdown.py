"""Markdown, shaped like the seed articles.

Title; notices first (urgent ones marked); the bottom line; sections with nested numbered and
bulleted lists (an algorithm as numbered "if" steps with their "then" underneath); inline
citations as `[1, 3]`; references with type labels; follow-up questions; the disclaimer last.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from curbside.answer.render.links import is_absolute, safe_url
from curbside.domain import Answer, AnswerItem, Reference

_INDENT = "   "


def cite(numbers: Sequence[int]) -> str:
    """" [1, 3]" (or "" when nothing is cited)."""
    return f" [{', '.join(str(n) for n in numbers)}]" if numbers else ""


def _escape(text: str) -> str:
    """Keep passage text from being read as Markdown structure (headings, lists, HTML)."""
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    if text[:1] in "#>-+*|" or re.match(r"\d+[.)](\s|$)", text):
        text = "\\" + text
    return text


def condition_label(text: str) -> str:
    """An algorithm step's condition as a label: "If the stone is large:" (display only)."""
    text = text.strip().rstrip(".:;,")
    return text[:1].upper() + text[1:] + ":"


def shown_citations(item: AnswerItem, style: str, depth: int) -> list[int]:
    """Citations printed after an item: an algorithm condition shows them on its consequence."""
    if style == "algorithm" and depth == 0 and item.children:
        below = {n for child in item.children for n in child.citations}
        if set(item.citations) <= below:
            return []
    return item.citations


def list_lines(items: Sequence[AnswerItem], style: str, *, citations: bool = True, plain: bool = False,
               depth: int = 0) -> list[str]:
    """A section's items as nested Markdown list lines (an algorithm's conditions as labels).

    ``plain`` writes the text as it is, without escaping or bold (knowledge-base passages);
    ``citations=False`` leaves out the citation marks.
    """
    lines: list[str] = []
    for i, item in enumerate(items, start=1):
        marker = f"{i}." if style in ("numbered", "algorithm") and depth == 0 else "-"
        text = item.text if plain else _escape(item.text)
        if style == "algorithm" and depth == 0:
            label = condition_label(item.text)
            text = label if plain else f"**{_escape(label)}**"
        marks = cite(shown_citations(item, style, depth)) if citations else ""
        lines.append(f"{_INDENT * depth}{marker} {text}{marks}")
        if item.children:
            lines += list_lines(item.children, "bullets", citations=citations, plain=plain, depth=depth + 1)
    return lines


def reference_line(ref: Reference) -> str:
    parts = [f"**{_escape(ref.type)}**", _escape(ref.title.rstrip(".")) + "."]
    where = ", ".join(_escape(str(p)) for p in (ref.source, ref.year) if p)
    if where:
        parts.append(f"*{where}*.")
    url = safe_url(ref.url)
    if is_absolute(url):  # a site path means nothing in a document read elsewhere
        parts.append(f"<{url}>")
    return f"{ref.number}. " + " ".join(parts)


def render_markdown(answer: Answer) -> str:
    lines = [f"# {_escape(answer.title or answer.question)}", ""]
    for notice in answer.notices:
        label = "**Urgent:** " if notice.urgent else "**Note:** "
        lines += [f"> {label}{_escape(notice.text)}", ""]
    if answer.abstained:
        lines += [f"*{_escape(answer.abstain_reason)}*", ""]
    if answer.bottom_line.text:
        lines += [f"{_escape(answer.bottom_line.text)}{cite(answer.bottom_line.citations)}", ""]
    for section in answer.sections:
        lines += [f"## {_escape(section.heading)}", ""]
        lines += list_lines(section.items, section.style)
        lines.append("")
    if answer.references:
        lines += ["## References", ""]
        lines += [reference_line(ref) for ref in answer.references]
        lines.append("")
    if answer.follow_ups:
        lines += ["## Follow-up questions", ""]
        lines += [f"- {_escape(q)}" for q in answer.follow_ups]
        lines.append("")
    lines += ["---", "", f"*{_escape(answer.disclaimer)}*", ""]
    return "\n".join(lines)
