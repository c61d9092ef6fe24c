"""Renderers of the answer contract: Markdown, JSON, terminal (rich) and an HTML fragment."""

from __future__ import annotations

from curbside.answer.render.html import render_html
from curbside.answer.render.json import render_json
from curbside.answer.render.markdown import render_markdown
from curbside.answer.render.terminal import render_terminal

FORMATS = ("markdown", "json", "terminal", "html")

__all__ = ["FORMATS", "render_html", "render_json", "render_markdown", "render_terminal"]
