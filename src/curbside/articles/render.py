"""Markdown renderings of an article version: export, diffs between versions, KB passages.

All three are built on the answer's Markdown renderer (``answer/render/markdown.py``), with its
escaping, algorithm labels and URL-scheme check, so a diff shows exactly what a reviewer
approves, an export reads like the answer page, and the knowledge base holds exactly the
approved lists (as plain text, without citation marks).
"""

from __future__ import annotations

import difflib
import json

from curbside.answer.render.markdown import list_lines, render_markdown
from curbside.articles.models import STATE_LABELS, ArticleVersion, ArticleView
from curbside.domain import Answer, Section


def answer_markdown(answer: Answer) -> str:
    """The answer as Markdown: title, notices, bottom line, sections, references, disclaimer."""
    return render_markdown(answer)


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
        text = "\n".join(list_lines(section.items, section.style, citations=False, plain=True)).strip()
        if text:
            sections.append(Section(headings=[title, section.heading], text=text))
    return sections
