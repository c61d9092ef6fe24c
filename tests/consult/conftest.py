"""Consult fixtures: a small real knowledge base (MedQuAD fixture pages, the packaged model), the
real answer service and de-identifier, and accounts (an editor and a doctor)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from curbside.accounts.models import Role, User
from curbside.accounts.users import UserService
from curbside.answer.service import AnswerService
from curbside.consult.deid import Deidentifier, shared_deidentifier
from curbside.consult.service import ConsultService
from curbside.db import dispose_engines
from curbside.ingest.registry import read_paths
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings

FIXTURES = Path(__file__).parent.parent / "fixtures"
PASSWORD = "correct horse battery staple"


def assert_tagger_refuses(monkeypatch: pytest.MonkeyPatch, weights: Path, match: str) -> None:
    """Loading the de-identification tagger's weights from ``weights`` is a clear error that says ``match``
    (the cached model is cleared before and after)."""
    from curbside.consult import tagger
    from curbside.errors import ConfigError

    tagger.model.cache_clear()
    monkeypatch.setattr(tagger, "WEIGHTS", weights)
    try:
        with pytest.raises(ConfigError, match=match):
            tagger.model()
    finally:
        tagger.model.cache_clear()


def fixture_pages() -> list[Path]:
    return sorted((FIXTURES / "articles" / "medquad").glob("*.xml")) + sorted((FIXTURES / "medquad").rglob("*.xml"))


@pytest.fixture(autouse=True)
def _quick_argon2(quick_argon2: None) -> None:
    """Accounts made here hash in milliseconds (``quick_argon2`` in tests/conftest.py)."""


@pytest.fixture(scope="session")
def consult_kb_template(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """A data dir holding the MedQuAD fixture pages, ingested once; tests work on copies."""
    data = tmp_path_factory.mktemp("consult-kb") / "data"
    settings = Settings(data_dir=data, starter_pack=False)
    KnowledgeBase(settings, embedder=embedder).ingest(read_paths(fixture_pages()))
    dispose_engines()
    return data


@pytest.fixture
def consult_settings(tmp_path: Path, consult_kb_template: Path) -> Settings:
    data = tmp_path / "data"
    shutil.copytree(consult_kb_template, data)
    return Settings(data_dir=data, starter_pack=False)


@pytest.fixture
def service(consult_settings: Settings, embedder: Embedder) -> ConsultService:
    kb = KnowledgeBase(consult_settings, embedder=embedder)
    return ConsultService(consult_settings, AnswerService(consult_settings, kb=kb), kb=kb)


@pytest.fixture
def people(consult_settings: Settings) -> dict[str, User]:
    accounts = UserService(consult_settings)
    return {
        "editor": accounts.add("okafor", PASSWORD, role=Role.EDITOR, display_name="Chidi Okafor", credentials="PharmD"),
        "doctor": accounts.add("drke", PASSWORD, role=Role.REVIEWER, display_name="Ke Fangxu", credentials="MD",
                               specialty="Surgery"),
    }


@pytest.fixture(scope="session")
def deid() -> Deidentifier:
    """The shared de-identifier (its spaCy and Presidio pipeline is built once)."""
    return shared_deidentifier()
