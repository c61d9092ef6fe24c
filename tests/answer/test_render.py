"""Renderers: Markdown like the seeds, JSON contract, rich terminal, escaped HTML fragment."""

from __future__ import annotations

import json
import re

from tests.answer.cases import load_hits

from curbside.answer.render import render_html, render_json, render_markdown, render_terminal
from curbside.answer.render.links import safe_url
from curbside.answer.service import AnswerService
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
from curbside.settings import Settings

HOSTILE = '<script>alert("x")</script> & [bold red]markup[/]'


def _hostile_answer() -> Answer:
    return Answer(
        question=HOSTILE, title=f"Title {HOSTILE}", audience=Audience.PATIENT, intent=Intent.GENERAL,
        bottom_line=CitedText(text=f"Bottom {HOSTILE}", citations=[1]),
        sections=[
            AnswerSection(heading="Section <b>", style="numbered", items=[
                AnswerItem(text=f"Item {HOSTILE}", citations=[1], children=[AnswerItem(text="Child <i>", citations=[1])]),
            ]),
            AnswerSection(heading="Management Algorithm", style="algorithm", items=[
                AnswerItem(text="if the level is low.", citations=[1],
                           children=[AnswerItem(text="a snack should be eaten", citations=[1])]),
            ]),
        ],
        references=[Reference(number=1, type="Patient education", title=f"Ref {HOSTILE}", source="Pub", year=2020,
                              url="javascript:alert(1)",
                              passages=[ReferencePassage(id="doc:x#0", text=(
                                  f"Potassium levels < 3.5 mmol/L & muscle cramps call for a blood test. Passage {HOSTILE}"))])],
        notices=[Notice(kind="emergency", text=f"Call now {HOSTILE}", urgent=True)],
        disclaimer="Disclaimer.", follow_ups=[f"Follow {HOSTILE}?"],
        provenance=Provenance(composer="t", composer_version="0", settings_hash="", retrieval_query="q"),
    )


def test_html_escapes_everything_and_links_citations() -> None:
    html = render_html(_hostile_answer())
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Section &lt;b&gt;" in html and "Child &lt;i&gt;" in html
    assert 'href="#ref-1"' in html and 'id="ref-1"' in html
    assert '<details class="ref-passages">' in html and 'data-passage-id="doc:x#0"' in html
    # a supporting passage is escaped (whether the injection filter hides its script sentence is its own
    # judgement, tested in tests/ingest: here the script never reaches the page unescaped, asserted above)
    assert "Potassium levels &lt; 3.5 mmol/L &amp; muscle cramps call for a blood test." in html
    assert "javascript:" not in html, "only http(s) reference links become anchors"
    assert html.index("notice-urgent") < html.index("bottom-line") < html.index("answer-disclaimer")
    assert "If the level is low:" in html


def test_one_rule_decides_which_urls_are_links() -> None:
    """http(s) addresses and site paths, nothing a browser could read as a script or another site."""
    for url in ("https://example.org/a?b=1#c", "HTTP://example.org/", "/a/topic-b", "/consults/7"):
        assert safe_url(url) == url
    assert safe_url("  https://example.org/a\n") == "https://example.org/a"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "java\tscript:alert(1)", "data:text/html,x",
                "vbscript:x", "//evil.example/x", "/\\evil.example", "/\t/evil.example", "/\n/evil.example",
                "https://example.org/a b", "https://example.org/<x>", "ftp://example.org/f", "example.org/x", "",
                None):
        assert safe_url(bad) == "", bad


def test_html_and_markdown_link_the_same_references() -> None:
    answer = _hostile_answer()
    answer.references += [
        answer.references[0].model_copy(update={"number": 2, "url": "https://example.org/w"}),
        answer.references[0].model_copy(update={"number": 3, "url": "/a/topic-b"}),
        answer.references[0].model_copy(update={"number": 4, "url": "/\t/evil.example"}),
    ]
    html, md = render_html(answer), render_markdown(answer)
    assert re.findall(r'<a href="([^"#]+)"', html) == ["https://example.org/w", "/a/topic-b"]
    assert re.findall(r"<(\w+:[^>]*)>", md) == ["https://example.org/w"], "a site path means nothing elsewhere"
    assert "evil.example" not in html + md and "javascript:" not in html + md


def test_markdown_shape_notices_first_disclaimer_last() -> None:
    md = render_markdown(_hostile_answer())
    lines = md.splitlines()
    assert lines[0].startswith("# Title")
    assert lines[2].startswith("> **Urgent:** Call now")
    assert "1. Item" in md and "   - Child &lt;i&gt; [1]" in md
    assert "1. **If the level is low:**" in md and "   - a snack should be eaten [1]" in md
    assert re.search(r"^1\. \*\*Patient education\*\* Ref", md, re.M)
    assert md.rstrip().endswith("*Disclaimer.*")
    assert "<script>" not in md


def test_terminal_does_not_interpret_markup_in_text() -> None:
    text = render_terminal(_hostile_answer())
    assert "[bold red]markup[/]" in text, "passage text is printed literally, not as rich markup"
    assert "URGENT" in text and "References" in text


def test_json_is_the_contract(settings: Settings) -> None:
    answer = AnswerService(settings).answer_from_hits("What are the treatments for kidney stones?",
                                                      load_hits("management", Audience.CLINICIAN))
    data = json.loads(render_json(answer))
    assert Answer.model_validate(data) == answer
    md = render_markdown(answer)
    assert md.count("[1]") >= 2 and "## References" in md and "## Follow-up questions" in md
