"""Article Markdown (exports, diffs, knowledge-base passages) is the answer renderer's Markdown.

The answer below is synthetic, non-medical text: it exercises escaping, algorithm labels and the
URL-scheme check, which the articles' own renderer used to skip.
"""

from __future__ import annotations

from datetime import UTC, datetime

from curbside.answer.render.markdown import render_markdown
from curbside.articles.models import ArticleVersion, ReviewState
from curbside.articles.render import answer_markdown, kb_sections, unified_diff
from curbside.domain import (
    Answer,
    AnswerItem,
    AnswerSection,
    Audience,
    CitedText,
    Intent,
    Provenance,
    Reference,
)

ANSWER = Answer(
    question="How is the widget assembled?", title="Widget <b>assembly</b>", audience=Audience.CLINICIAN,
    intent=Intent.GENERAL, bottom_line=CitedText(text="# Not a heading: the frame comes first.", citations=[1]),
    sections=[
        AnswerSection(heading="Steps", style="algorithm", items=[
            AnswerItem(text="if the frame is bent.", citations=[1],
                       children=[AnswerItem(text="Straighten it before the panels.", citations=[1])])]),
        AnswerSection(heading="Notes", items=[AnswerItem(text="- a dash <script>x</script>", citations=[2])]),
    ],
    references=[Reference(number=1, type="Manual", title="Widget manual", url="https://example.org/w"),
                Reference(number=2, type="Note", title="Shop note", url="javascript:alert(1)")],
    disclaimer="Synthetic text.",
    provenance=Provenance(composer="test", composer_version="1", settings_hash="", retrieval_query=""))


def version(number: int, answer: Answer) -> ArticleVersion:
    return ArticleVersion(id=number, number=number, audience=Audience.CLINICIAN, state=ReviewState.SUBMITTED,
                          answer=answer, evidence=[], created_at=datetime(2026, 1, 1, tzinfo=UTC), lock_version=1)


def test_exports_are_the_answer_renderers_markdown() -> None:
    markdown = answer_markdown(ANSWER)
    assert markdown == render_markdown(ANSWER)
    assert "# Widget &lt;b&gt;assembly&lt;/b&gt;" in markdown and "<script>" not in markdown
    assert "\\# Not a heading" in markdown and "\\- a dash" in markdown
    assert "1. **If the frame is bent:**" in markdown  # the algorithm's condition as a label
    assert "<https://example.org/w>" in markdown and "javascript:" not in markdown


def test_diffs_compare_the_rendered_markdown() -> None:
    changed = ANSWER.model_copy(update={"disclaimer": "Other synthetic text."})
    diff = unified_diff(version(1, ANSWER), version(2, changed))
    assert "-*Synthetic text.*" in diff and "+*Other synthetic text.*" in diff


def test_kb_passages_are_plain_lists_without_citation_marks() -> None:
    sections = kb_sections(ANSWER)
    assert [s.headings for s in sections] == [["Widget <b>assembly</b>"],
                                              ["Widget <b>assembly</b>", "Steps"],
                                              ["Widget <b>assembly</b>", "Notes"]]
    assert sections[0].text == "# Not a heading: the frame comes first."
    assert sections[1].text == "1. If the frame is bent:\n   - Straighten it before the panels."
    assert sections[2].text == "- - a dash <script>x</script>"
