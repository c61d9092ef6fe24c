"""`curbside articles list|show|export` through Typer's CliRunner (real SQLite database)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.articles.factories import make_article
from typer.testing import CliRunner

from curbside.accounts.models import Role
from curbside.accounts.users import UserService
from curbside.articles import workflow
from curbside.articles.store import Actor, ArticleStore
from curbside.cli.main import app
from curbside.db import get_engine
from curbside.settings import load_settings

runner = CliRunner()


def _library() -> tuple[str, str]:
    """One approved article and one waiting for review (placeholder text)."""
    settings = load_settings()
    store = ArticleStore(get_engine(settings.resolved_database_url))
    # a real board account: approvals need a known reviewer (two-person rule)
    rivera = UserService(settings).add("rivera", "correct horse battery", role=Role.REVIEWER,
                                       display_name="Dana Rivera", credentials="MD", specialty="Radiology")
    board = Actor(rivera.id, "Dana Rivera", "rivera", "reviewer", "MD", "Radiology")
    approved = make_article(store, "topic A")
    version = store.versions(approved.id)[0]
    for name in ("start_review", "approve"):
        version = store.transition(approved.id, version.id, workflow.ACTIONS[name], board, "Looks right.",
                                   version.lock_version)
    pending = make_article(store, "topic B")
    return approved.slug, pending.slug


def test_list_show_export(tmp_path: Path) -> None:
    empty = runner.invoke(app, ["articles", "list"])
    assert empty.exit_code == 0 and "No articles yet" in empty.stdout
    approved, pending = _library()

    listed = runner.invoke(app, ["articles", "list"])
    assert listed.exit_code == 0, listed.output
    assert approved in listed.stdout and "Approved (version 1)" in listed.stdout
    assert pending in listed.stdout and "Submitted (version 1)" in listed.stdout
    rows = json.loads(runner.invoke(app, ["articles", "list", "--json"]).stdout)
    assert [(r["slug"], r["state"], r["pending_review"]) for r in rows] == [
        (approved, "approved", False), (pending, "submitted", True)]
    only = json.loads(runner.invoke(app, ["articles", "list", "--state", "submitted", "--json"]).stdout)
    assert [r["slug"] for r in only] == [pending]

    shown = runner.invoke(app, ["articles", "show", approved])
    assert shown.exit_code == 0, shown.output
    assert "What about topic A?" in shown.stdout and "# About topic A" in shown.stdout
    assert "reviewed by Dana Rivera, MD (Radiology)" in shown.stdout and "pending human review" not in shown.stdout
    assert "approve (under_review → approved) by Dana Rivera, MD: Looks right." in shown.stdout
    assert "pending human review" in runner.invoke(app, ["articles", "show", pending]).stdout
    as_json = json.loads(runner.invoke(app, ["articles", "show", approved, "--json"]).stdout)
    assert as_json["public"]["number"] == 1 and len(as_json["history"]) == 3

    markdown = runner.invoke(app, ["articles", "export", approved, "--format", "markdown"])
    assert markdown.exit_code == 0 and markdown.stdout.startswith("---\n")
    assert f'slug: "{approved}"' in markdown.stdout and 'status: "Approved"' in markdown.stdout
    exported = json.loads(runner.invoke(app, ["articles", "export", approved, "--format", "json"]).stdout)
    assert exported["slug"] == approved and exported["pending_review"] is False
    target = tmp_path / "out.md"
    written = runner.invoke(app, ["articles", "export", approved, "-o", str(target)])
    assert written.exit_code == 0 and target.read_text(encoding="utf-8") == markdown.stdout

    assert runner.invoke(app, ["articles", "export", approved, "--format", "pdf"]).exit_code == 2
    missing = runner.invoke(app, ["articles", "show", "no-such-article"])
    assert missing.exit_code == 2 and "not_found" in missing.output
