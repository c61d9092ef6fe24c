"""`curbside ask` through Typer's CliRunner on a small real knowledge base."""

from __future__ import annotations

import json

from tests.answer.cases import SOURCES
from typer.testing import CliRunner

from curbside.cli.main import app

runner = CliRunner()

#: The answer contract's field names, as the issue lists them.
ANSWER_FIELDS = {"question", "title", "audience", "intent", "bottom_line", "sections", "references", "notices",
                 "disclaimer", "abstained", "abstain_reason", "follow_ups", "provenance"}


def test_ask_json_markdown_html_and_thread() -> None:
    added = runner.invoke(app, ["kb", "add", str(SOURCES / "medquad"), "--json"])
    assert added.exit_code == 0, added.output

    result = runner.invoke(app, ["ask", "What are the treatments for kidney stones?", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data.keys() >= ANSWER_FIELDS
    assert set(data["bottom_line"]) == {"text", "citations"}
    section = data["sections"][0]
    assert {"heading", "items"} <= section.keys()
    assert {"text", "citations", "children"} <= section["items"][0].keys()
    ref = data["references"][0]
    assert {"number", "type", "title", "source", "year", "url", "evidence_level", "passages"} <= ref.keys()
    assert {"id", "text"} <= ref["passages"][0].keys()
    assert {"composer", "composer_version", "settings_hash", "retrieval_query", "passage_ids"} <= \
        data["provenance"].keys()
    assert data["intent"] == "management" and data["audience"] == "clinician" and not data["abstained"]
    thread = data["thread_id"]

    follow = runner.invoke(app, ["ask", "what about in children?", "--thread", thread, "--format", "markdown"])
    assert follow.exit_code == 0, follow.output
    assert follow.stdout.startswith("# Management of Kidney Stones in Children")
    assert "## References" in follow.stdout and f"--thread {thread}" in follow.stderr

    html = runner.invoke(app, ["ask", "What does blood in the urine mean?", "--audience", "patient",
                               "--format", "html"])
    assert html.exit_code == 0 and html.stdout.startswith("<article") and 'href="#ref-1"' in html.stdout


def test_ask_errors_are_one_clear_line() -> None:
    result = runner.invoke(app, ["ask", "What is hypoglycemia?", "--audience", "martian", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["code"] == "invalid_input"
    result = runner.invoke(app, ["ask", "What is hypoglycemia?", "--format", "pdf"])
    assert result.exit_code == 2 and "error (invalid_input)" in result.output
