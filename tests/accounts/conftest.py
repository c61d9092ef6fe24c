"""Accounts fixtures: settings on SQLite or PostgreSQL, quick argon2id parameters."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher

from curbside.accounts import hashing
from curbside.settings import Settings

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _quick_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id with small parameters: hashing takes milliseconds instead of ~0.4 s."""
    monkeypatch.setattr(hashing, "_hasher", PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))


@pytest.fixture
def account_settings(tmp_path: Path, database_url: str) -> Settings:
    """Settings on SQLite or PostgreSQL (parametrized by ``database_url``)."""
    return Settings(data_dir=tmp_path / "data", database_url=database_url, starter_pack=False)
