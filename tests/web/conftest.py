"""Web fixtures: a small real knowledge base (three MedQuAD pages), the app, accounts, helpers."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from curbside.accounts.models import Role, User
from curbside.accounts.users import UserService
from curbside.db import dispose_engines
from curbside.ingest.registry import read_paths
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings, WebSettings
from curbside.web.app import create_app

WEB_FIXTURES = Path(__file__).parent.parent / "fixtures" / "web"
PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def web_kb_template(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """A data dir holding the three fixture pages, ingested once; tests work on copies."""
    data = tmp_path_factory.mktemp("web-kb") / "data"
    settings = Settings(data_dir=data, starter_pack=False)
    kb = KnowledgeBase(settings, embedder=embedder)
    report = kb.ingest(read_paths([WEB_FIXTURES / "medquad"]))
    assert report.documents_written == 3 and not report.problems
    del kb
    dispose_engines()
    return data


def web_settings_for(data: Path, **web: object) -> Settings:
    # page_fresh_s=0: these tests check that every change shows on the next anonymous read; the
    # seconds-long freshness window is tested on its own (tests/web/test_page_cache.py).
    options: dict[str, object] = {"secret_key": "test-secret-key", "ask_rate_per_minute": 100,
                                  "page_fresh_s": 0.0}
    options.update(web)
    return Settings(data_dir=data, starter_pack=False, web=WebSettings(**options))  # type: ignore[arg-type]


@pytest.fixture
def web_data(tmp_path: Path, web_kb_template: Path) -> Path:
    data = tmp_path / "web-data"
    shutil.copytree(web_kb_template, data)
    return data


@pytest.fixture
def web_settings(web_data: Path) -> Settings:
    return web_settings_for(web_data)


def make_app(settings: Settings) -> FastAPI:
    """The real app: knowledge base, AnswerService and ArticleService built on startup."""
    return create_app(settings)


@pytest.fixture
def app(web_settings: Settings) -> FastAPI:
    return make_app(web_settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def accounts(web_settings: Settings) -> dict[str, User]:
    """A reviewer (board member), an editor and a reader account."""
    users = UserService(web_settings)
    return {
        "reviewer": users.add(
            "rivera",
            PASSWORD,
            role=Role.REVIEWER,
            display_name="Dr. Ana Rivera",
            credentials="MD",
            specialty="Gastroenterology",
        ),
        "editor": users.add("okafor", PASSWORD, role=Role.EDITOR, display_name="Sam Okafor"),
        "reader": users.add("lee", PASSWORD, role=Role.READER, display_name="Jo Lee"),
    }


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def api_login(client: TestClient, username: str) -> str:
    response = client.post("/api/v1/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return token


def assert_error_shape(body: dict[str, object], status: int, code: str | None = None) -> None:
    assert set(body) == {"error"}
    error = body["error"]
    assert isinstance(error, dict)
    assert set(error) == {"code", "message", "status", "retryable", "details"}
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code
