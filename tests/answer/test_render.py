"""Renderers: Markdown like the seeds, JSON contract, rich terminal, escaped HTML fragment."""

from __future__ import annotations

import json
import re

from tests.answer.cases import load_hits

from curbside.answer.render import render_html, render_json, render_markdown, render_terminal
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
                              passages=[ReferencePassage(id="doc:x#0", text=f"Passage {HOSTILE}")])],
        notices=[Notice(kind="emergency", text=f"Call now {HOSTILE}", urgent=True)],
        disclaimer="Disclaimer.", follow_ups=[f"Follow {HOSTILE}?"],
        provenance=Provenance(composer="t", composer_version="0", settings_hash="", retrieval_query="q"),
    )


def test_html_escapes_everything_and_links_citations() -> None:
    html = render_html(_hostile_answer())
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Section &lt;b&gt;" in html and "Child &lt;i&gt;" in html
    assert 'href="#ref-1"' in html and 'id="ref-1"' in html
    assert "<details>" in html and 'data-passage-id="doc:x#0"' in html and "Passage &lt;script&gt;" in html
    assert "javascript:" not in html, "only http(s) reference links become anchors"
    assert html.index("cs-urgent") < html.index("cs-bottom-line") < html.index("cs-disclaimer")
    assert "If the level is low:" in html


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
