"""Locally added documents show their provenance on articles (issue 9, defect 4, last part).

Before the fix a file added with ``kb add`` was cited like any publisher's page: nothing said
that someone added it locally, who, or when.
"""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from curbside.cli.main import app as cli
from curbside.kb.service import KnowledgeBase
from curbside.settings import Settings, WebSettings
from curbside.web.app import create_app

GUIDELINE = Path(__file__).parents[1] / "fixtures" / "documents" / "injected_guideline.md"


def test_kb_add_records_who_and_when_and_the_article_shows_it(settings: Settings) -> None:
    first = CliRunner().invoke(cli, ["kb", "add", str(GUIDELINE), "--json"])
    assert first.exit_code == 0 and json.loads(first.stdout)["documents_written"] == 1
    again = json.loads(CliRunner().invoke(cli, ["kb", "add", str(GUIDELINE), "--json"]).stdout)
    assert again["documents_written"] == 0 and again["documents_unchanged"] == 1  # still idempotent
    [source] = list(KnowledgeBase(settings).store.iter_sources())
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert source.identifiers.other["added_by"] == getpass.getuser()
    assert source.identifiers.other["added_at"] == today
    web = settings.model_copy(update={"web": WebSettings(secret_key="k" * 20)})
    with TestClient(create_app(web)) as client:
        article = client.post("/api/v1/ask", json={"question": "What are gallstones?"}).json()
        page = client.get(article["url"]).text
    assert (f"Local document “injected_guideline.md”, added by {getpass.getuser()} on {today}"
            in page)
