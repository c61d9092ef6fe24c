"""Markdown renderings of an article version: export, diffs between versions, KB passages.

One renderer for all three, so a diff shows exactly what a reviewer approves and the knowledge
base holds exactly what was approved.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable

from curbside.articles.models import STATE_LABELS, ArticleVersion, ArticleView
from curbside.domain import Answer, AnswerItem, AnswerSection, Reference, Section


def _cite(numbers: Iterable[int], with_citations: bool) -> str:
    nums = sorted(set(numbers))
    if not with_citations or not nums:
        return ""
    return " [" + ", ".join(str(n) for n in nums) + "]"


def _items(items: list[AnswerItem], style: str, depth: int, with_citations: bool) -> list[str]:
    lines: list[str] = []
    indent = "   " * depth
    for i, item in enumerate(items, start=1):
        marker = f"{i}." if style in ("numbered", "algorithm") and depth == 0 else "-"
        lines.append(f"{indent}{marker} {item.text}{_cite(item.citations, with_citations)}")
        if item.children:
            lines.extend(_items(item.children, "bullets", depth + 1, with_citations))
    return lines


def section_markdown(section: AnswerSection, *, with_citations: bool = True) -> str:
    return "\n".join(_items(section.items, section.style, 0, with_citations))


def reference_markdown(ref: Reference) -> str:
    parts = [f"{ref.number}. **{ref.type}** — {ref.title}"]
    where = ", ".join(p for p in (ref.source, str(ref.year) if ref.year else "") if p)
    if where:
        parts.append(f"{where}.")
    if ref.url:
        parts.append(f"<{ref.url}>")
    return " ".join(parts)


def answer_markdown(answer: Answer, *, heading_level: int = 1) -> str:
    """The answer as Markdown: title, bottom line, sections, references, disclaimer."""
    h = "#" * heading_level
    out = [f"{h} {answer.title or answer.question}", ""]
    for notice in answer.notices:
        out += [f"> **{notice.kind.capitalize()}:** {notice.text}", ""]
    if answer.bottom_line.text:
        out += [f"**{answer.bottom_line.text}**{_cite(answer.bottom_line.citations, True)}", ""]
    for section in answer.sections:
        out += [f"{h}# {section.heading}", "", section_markdown(section), ""]
    if answer.references:
        out += [f"{h}# References", ""]
        out += [reference_markdown(r) for r in answer.references]
        out.append("")
    if answer.disclaimer:
        out += [f"_{answer.disclaimer}_", ""]
    return "\n".join(out).rstrip() + "\n"


def version_markdown(view: ArticleView, version: ArticleVersion) -> str:
    """A version with front matter (JSON strings are valid YAML scalars)."""
    meta = {
        "slug": view.slug,
        "question": view.question,
        "audience": version.audience.value,
        "version": version.number,
        "status": STATE_LABELS[version.state],
        "last_updated": view.last_updated.date().isoformat(),
        "reviewed_by": view.reviewed_by
        if view.public is not None and version.id == view.public.id
        else [],
    }
    front = "\n".join(
        f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()
    )
    return f"---\n{front}\n---\n\n" + answer_markdown(version.answer)


def unified_diff(old: ArticleVersion, new: ArticleVersion) -> str:
    """A unified diff of the Markdown of two versions."""
    a = answer_markdown(old.answer).splitlines(keepends=True)
    b = answer_markdown(new.answer).splitlines(keepends=True)
    return "".join(
        difflib.unified_diff(
            a,
            b,
            fromfile=f"version {old.number} ({old.state.value})",
            tofile=f"version {new.number} ({new.state.value})",
        )
    )


def kb_sections(answer: Answer) -> list[Section]:
    """The article as knowledge-base sections: one per Markdown section, no citation marks."""
    title = answer.title or answer.question
    sections: list[Section] = []
    if answer.bottom_line.text:
        sections.append(Section(headings=[title], text=answer.bottom_line.text))
    for section in answer.sections:
        text = section_markdown(section, with_citations=False).strip()
        if text:
            sections.append(Section(headings=[title, section.heading], text=text))
    return sections
