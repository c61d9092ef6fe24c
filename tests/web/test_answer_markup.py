"""One HTML rendering of an answer (issue 25, item 8).

Before, ``curbside ask --format html`` (``answer/render/html.py``) and the web pages (a macro of
``web/templates/_macros.html``) each rendered the answer their own way: other markup for notices,
citations and references, and two checks of which reference URL may be a link. The same answer
now shows the same markup in both, and neither links a URL that is not http(s) or a site path.
"""

from __future__ import annotations

from html.parser import HTMLParser

from fastapi import FastAPI
from fastapi.testclient import TestClient

from curbside.answer.render import render_html
from curbside.articles.models import VersionProvenance
from curbside.articles.service import ArticleService
from curbside.articles.store import NewVersion
from curbside.domain import (
    Answer,
    AnswerItem,
    AnswerSection,
    Audience,
    CitedText,
    Intent,
    Notice,
    Provenance,
    Reference,
    ReferencePassage,
)
from curbside.web.urls import article_path
from tests.articles.factories import SYSTEM, make_article

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
#: Reference URLs that must never become links, each a way a source could carry one.
UNLINKABLE = ["javascript:alert(1)", " JavaScript:alert(2)", "data:text/html,<script>alert(3)</script>",
              "//evil.example/x", "/\t/evil.example/y", "vbscript:msgbox(4)", "https://example.org/a b"]


def _answer() -> Answer:
    """Neutral placeholder text, every part of the contract present, hostile strings in the text."""
    references = [Reference(number=1, type="Patient education", title="Linked page", source="Publisher A",
                            year=2021, url="https://example.org/page",
                            passages=[ReferencePassage(id="doc:a#0", text=f"Passage one {HOSTILE}")]),
                  Reference(number=2, type="Board-reviewed", title="Site article", url="/a/topic-b",
                            passages=[ReferencePassage(id="doc:b#0", text="Passage two."),
                                      ReferencePassage(id="doc:b#1", text="Passage three.")])]
    references += [Reference(number=n, type="Research", title=f"Unlinked {n} {HOSTILE}", source="Journal B",
                             url=url, passages=[ReferencePassage(id=f"doc:{n}#0", text=f"Passage {n}.")])
                   for n, url in enumerate(UNLINKABLE, start=3)]
    cited = [r.number for r in references]
    return Answer(
        question="What about topic B?", title=f"About topic B {HOSTILE}", audience=Audience.CLINICIAN,
        intent=Intent.GENERAL, bottom_line=CitedText(text=f"Bottom line {HOSTILE}", citations=[1, 2]),
        sections=[
            AnswerSection(heading="Overview", style="bullets", items=[
                AnswerItem(text=f"First statement {HOSTILE}", citations=cited,
                           children=[AnswerItem(text="A detail.", citations=[2])])]),
            AnswerSection(heading="Steps", style="numbered", items=[
                AnswerItem(text="Step one.", citations=[1]), AnswerItem(text="Step two.", citations=[2])]),
            AnswerSection(heading="Algorithm", style="algorithm", items=[
                AnswerItem(text="if the reading is low.", citations=[1],
                           children=[AnswerItem(text="the next step follows", citations=[1])])]),
        ],
        references=references,
        notices=[Notice(kind="partial", text="The sources answer part of the question."),
                 Notice(kind="medication", text=f"Medication note {HOSTILE}"),
                 Notice(kind="emergency", text="Urgent placeholder notice.", urgent=True)],
        disclaimer="Placeholder disclaimer.", follow_ups=["What else about topic B?"],
        provenance=Provenance(composer="placeholder", composer_version="1", settings_hash="", retrieval_query="b"),
    )


class _Element(HTMLParser):
    """The element whose start tag has ``class`` ``wanted`` (the first one), as a list of tags,
    attributes and stripped texts: the markup without the whitespace between tags."""

    def __init__(self, wanted: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted, self.depth, self.done = wanted, 0, False
        self.tokens: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done or (not self.depth and ("class", self.wanted) not in attrs):
            return
        self.depth += 1
        self.tokens.append(("start", tag, *(f"{k}={v}" for k, v in sorted(attrs, key=lambda a: a[0]))))

    def handle_endtag(self, tag: str) -> None:
        if self.depth and not self.done:
            self.tokens.append(("end", tag))
            self.depth -= 1
            self.done = not self.depth

    def handle_data(self, data: str) -> None:
        if self.depth and not self.done and data.strip():
            self.tokens.append(("text", " ".join(data.split())))


def _body(html: str) -> list[tuple[str, ...]]:
    parser = _Element("article-body")
    parser.feed(html)
    assert parser.done, "the page holds the whole answer body"
    return parser.tokens


def _links(tokens: list[tuple[str, ...]]) -> list[str]:
    return [attr.removeprefix("href=") for token in tokens if token[:2] == ("start", "a")
            for attr in token[2:] if attr.startswith("href=")]


def test_the_page_and_the_command_line_show_the_same_answer_markup(app: FastAPI) -> None:
    answer = _answer()
    with TestClient(app) as client:
        service: ArticleService = app.state.services.articles
        row = make_article(service.store, "topic B")
        service.store.add_version(row.id, NewVersion(audience=Audience.CLINICIAN, answer=answer, evidence=[],
                                                     provenance=VersionProvenance(reason="ask")),
                                  SYSTEM, supersede_drafts=True)
        page = client.get(article_path(row.slug))
    assert page.status_code == 200
    shown, printed = _body(page.text), _body(render_html(answer))
    assert shown == printed, "one rendering: the article page and `curbside ask --format html` agree"

    for tokens in (shown, printed):
        # statements, citations and every reference with its passages
        texts = [t[1] for t in tokens if t[0] == "text"]
        assert f"First statement {HOSTILE}" in texts and "If the reading is low:" in texts
        assert sum(1 for t in tokens if t[:2] == ("start", "li") and "value=" in " ".join(t)) == len(answer.references)
        assert [t[1] for t in tokens if t[0] == "text" and t[1].startswith("Passage ")][:2] == [
            f"Passage one {HOSTILE}", "Passage two."]
        # only the http(s) address and the site path are links; the rest are citations (#ref-N)
        assert [h for h in _links(tokens) if not h.startswith("#ref-")] == ["https://example.org/page", "/a/topic-b"]
        assert {f"#ref-{r.number}" for r in answer.references} <= set(_links(tokens))
        assert all(f"Unlinked {n} {HOSTILE}" in texts for n in range(3, 3 + len(UNLINKABLE))), \
            "an unlinkable reference still shows its title, as text"
        # every notice, urgent first, the partial answer's notice shown as information
        notices = [dict(a.split("=", 1) for a in t[2:])["class"] for t in tokens
                   if t[:2] == ("start", "div") and "notice" in " ".join(t)]
        assert notices == ["notice notice-emergency notice-urgent", "notice notice-info", "notice notice-medication"]
    body = page.text[page.text.index('<div class="article-body">'):]
    for raw in ("<script>", "<img src=x", "javascript:", "JavaScript:", "data:text", "evil.example", "vbscript:"):
        assert raw not in body and raw not in render_html(answer), raw
