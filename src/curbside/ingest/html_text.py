"""Plain text of HTML pages, in sections by heading (used by the local documents adapter).

Only text is taken: scripts, styles, navigation, footers, forms and hidden elements are dropped
and nothing is executed or fetched. Headings ``h1``–``h4`` start sections and keep their path;
every paragraph, list item and table row ends as a sentence of its own.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from curbside.domain import Section
from curbside.text import normalize_space

_DROP = ("script, style, nav, footer, noscript, template, iframe, object, embed, svg, "
         "form, button, select, [hidden], [aria-hidden=true]")
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section",
    "summary", "table", "ul", "br", "body",
}


def as_sentence(text: str) -> str:
    """A block (paragraph, list item, table row) as one sentence: it ends in . ! or ?."""
    text = normalize_space(text).rstrip(" ,;:")
    if text and not _ENDS_SENTENCE.search(text):
        text += "."
    return text


class SectionBuilder:
    """Collects blocks of text under the current heading path."""

    def __init__(self) -> None:
        self.path: list[tuple[int, str]] = []
        self.blocks: list[str] = []
        self.sections: list[Section] = []
        self.first_h1 = ""

    def heading(self, level: int, text: str) -> None:
        self.flush()
        text = normalize_space(text)
        if not text:
            return
        if level == 1 and not self.first_h1:
            self.first_h1 = text
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        self.path.append((level, text))

    def block(self, text: str, *, sentence: bool = True) -> None:
        text = as_sentence(text) if sentence else normalize_space(text)
        if text:
            self.blocks.append(text)

    def flush(self) -> None:
        if self.blocks:
            headings = [text for _, text in self.path]
            self.sections.append(Section(headings=headings, text="\n".join(self.blocks)))
            self.blocks = []


# --- HTML -------------------------------------------------------------------------------------


def _node_text(node: LexborNode) -> str:
    return normalize_space(node.text(deep=True, separator=" "))


def html_sections(html: str) -> tuple[list[Section], str]:
    """Sections of an HTML page (text only) and its title."""
    tree = LexborHTMLParser(html)
    for node in tree.css(_DROP):
        node.decompose()
    title_node = tree.css_first("title")
    title = _node_text(title_node) if title_node is not None else ""
    out = SectionBuilder()
    root = tree.body or tree.root
    if root is None:
        return [], title
    buffer: list[str] = []

    def flush_block() -> None:
        if buffer:
            out.block("".join(buffer))
            buffer.clear()

    # Iterative walk (deeply nested hostile markup cannot exhaust the stack); None = block end.
    stack: list[LexborNode | None] = [root]
    while stack:
        item = stack.pop()
        if item is None:
            flush_block()
            continue
        node = item
        tag = node.tag or ""
        if tag == "-text":
            buffer.append(node.text(deep=False))
            continue
        if tag.startswith(("-", "_", "!")):  # comments, doctype
            continue
        if tag in _HEADINGS:
            flush_block()
            out.heading(_HEADINGS[tag], _node_text(node))
            continue
        if tag == "tr":
            flush_block()
            cells = [_node_text(c) for c in node.iter() if c.tag in ("td", "th")]
            out.block("; ".join(c for c in cells if c))
            continue
        if tag == "pre":
            flush_block()
            out.block(node.text(deep=True), sentence=False)
            continue
        if tag in _BLOCKS:
            flush_block()
            stack.append(None)
        stack.extend(reversed(list(node.iter(include_text=True))))
    flush_block()
    out.flush()
    return out.sections, title or out.first_h1


def html_meta(html: str) -> dict[str, str]:
    tree = LexborHTMLParser(html)
    meta: dict[str, str] = {}
    html_node = tree.css_first("html")
    if html_node is not None and html_node.attributes.get("lang"):
        meta["language"] = str(html_node.attributes["lang"]).split("-")[0].lower()
    for node in tree.css("meta[name], meta[property]"):
        name = str(node.attributes.get("name") or node.attributes.get("property") or "").lower()
        content = normalize_space(str(node.attributes.get("content") or ""))
        if content and name not in meta:
            meta[name] = content
    return meta
