"""The API on PostgreSQL: the same app, knowledge base and articles in a real server database."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from curbside.accounts.models import Role
from curbside.accounts.users import UserService
from curbside.ingest.registry import read_paths
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings, WebSettings
from curbside.web.app import create_app
from tests.web.conftest import PASSWORD, WEB_FIXTURES, api_login, assert_error_shape

pytestmark = pytest.mark.postgres


def test_ask_and_review_on_postgres(pg_url: str, tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings(
        data_dir=tmp_path / "pg-data",
        database_url=pg_url,
        starter_pack=False,
        web=WebSettings(secret_key="pg-test-secret"),
    )
    KnowledgeBase(settings, embedder=embedder).ingest(read_paths([WEB_FIXTURES / "medquad"]))
    UserService(settings).add("rivera", PASSWORD, role=Role.REVIEWER, display_name="Dr. Ana Rivera")
    with TestClient(create_app(settings)) as client:
        article = client.post("/api/v1/ask", json={"question": "What is hemochromatosis?"}).json()
        assert article["version"]["answer"]["references"]
        slug, latest = article["slug"], article["latest"]
        api_login(client, "rivera")
        url = f"/api/v1/articles/{slug}/versions/{latest['id']}/transitions"
        started = client.post(
            url, json={"action": "start_review", "lock_version": latest["lock_version"]}
        )
        assert started.json()["state"] == "under_review"
        stale = client.post(url, json={"action": "approve", "lock_version": latest["lock_version"]})
        assert_error_shape(stale.json(), 409, "conflict")
        approved = client.post(
            url, json={"action": "approve", "lock_version": started.json()["lock_version"]}
        )
        assert approved.json()["state"] == "approved"
        page = client.get(f"/a/{slug}").text
        assert "pending human review" not in page and 'data-state="approved"' in page
