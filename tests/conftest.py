"""Shared fixtures: settings in a temp dir, the real packaged embedder, PostgreSQL databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from curbside.db import dispose_engines
from curbside.retrieval.embedder import Embedder, HashEmbedder, get_embedder
from curbside.settings import EmbeddingSettings, Settings

FIXTURES = Path(__file__).parent / "fixtures"
PG_ADMIN_URL = os.environ.get("CURBSIDE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads the user's data dir or environment settings."""
    for key in list(os.environ):
        if key.startswith("CURBSIDE_") and key != "CURBSIDE_TEST_POSTGRES_URL":
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("CURBSIDE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CURBSIDE_STARTER_PACK", "false")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    yield
    dispose_engines()


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh SQLite file under tmp_path, no starter pack."""
    return Settings(data_dir=tmp_path / "data", starter_pack=False)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real packaged MiniLM model, loaded once per test session."""
    return get_embedder(EmbeddingSettings())


@pytest.fixture
def hash_embedder() -> Embedder:
    """Deterministic fake embedder: for tests of logic around embeddings only."""
    return HashEmbedder()


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("postgresql+psycopg", "postgresql"), connect_timeout=3):
            return True
    except Exception:
        return False


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards. In CI a missing server fails the test."""
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {PG_ADMIN_URL}")
        pytest.skip("PostgreSQL not reachable (set CURBSIDE_TEST_POSTGRES_URL)")
    import psycopg

    name = f"curbside_test_{uuid.uuid4().hex[:10]}"
    admin = PG_ADMIN_URL.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        dispose_engines()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Parametrizes a test over SQLite and PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'curbside.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def quick_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id with small parameters: hashing takes milliseconds instead of ~0.4 s."""
    from argon2 import PasswordHasher

    from curbside.accounts import hashing

    monkeypatch.setattr(hashing, "_hasher", PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
