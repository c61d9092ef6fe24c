"""Accounts fixtures: settings on SQLite or PostgreSQL, quick argon2id parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.settings import Settings

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _quick_argon2(quick_argon2: None) -> None:
    """Accounts made here hash in milliseconds (``quick_argon2`` in tests/conftest.py)."""


@pytest.fixture
def account_settings(tmp_path: Path, database_url: str) -> Settings:
    """Settings on SQLite or PostgreSQL (parametrized by ``database_url``)."""
    return Settings(data_dir=tmp_path / "data", database_url=database_url, starter_pack=False)
