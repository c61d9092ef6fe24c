"""The settings tree: environment variables, nesting, validation, fingerprints; the error shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from curbside.errors import CurbsideError, InputError, MissingExtraError
from curbside.settings import ArticlesSettings, Settings, load_settings


def test_environment_overrides_nested_fields(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CURBSIDE_DATA_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("CURBSIDE_RETRIEVAL__K", "7")
    monkeypatch.setenv("CURBSIDE_LLM__BASE_URL", "http://127.0.0.1:9/v1")
    settings = load_settings()
    assert settings.data_dir == tmp_path / "elsewhere"
    assert settings.retrieval.k == 7
    assert settings.llm.base_url == "http://127.0.0.1:9/v1"
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'elsewhere' / 'curbside.db'}"


def test_invalid_values_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURBSIDE_RETRIEVAL__BACKEND", "elasticsearch")
    with pytest.raises(ValidationError):
        load_settings()


def test_unknown_section_fields_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Settings(retrieval={"k": 5, "no_such_field": 1})  # type: ignore[arg-type]


def test_fingerprint_tracks_answer_relevant_settings(tmp_path: Path) -> None:
    a = Settings(data_dir=tmp_path)
    b = Settings(data_dir=tmp_path / "other")
    c = Settings(data_dir=tmp_path, retrieval={"rrf_k": 10})  # type: ignore[arg-type]
    assert a.fingerprint() == b.fingerprint(), "where data lives does not change answers"
    assert a.fingerprint() != c.fingerprint()


def test_one_error_shape() -> None:
    err = InputError("The query is empty.")
    assert err.to_dict() == {"error": {"code": "invalid_input", "message": "The query is empty.", "status": 400,
                                       "retryable": False, "details": {}}}
    missing = MissingExtraError("milvus", "pymilvus")
    assert isinstance(missing, CurbsideError)
    assert "pip install 'curbside[milvus]'" in missing.message


def test_secure_cookies_accepts_the_old_boolean() -> None:
    from curbside.settings import WebSettings

    assert WebSettings().secure_cookies == "auto"
    assert WebSettings(secure_cookies=True).secure_cookies == "always"  # type: ignore[arg-type]
    assert WebSettings(secure_cookies="false").secure_cookies == "never"  # type: ignore[arg-type]


def test_account_settings_have_their_own_section(monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords and sign-in limits belong to accounts, not to articles."""
    monkeypatch.setenv("CURBSIDE_ACCOUNTS__SIGN_IN_ATTEMPTS_PER_MINUTE", "3")
    monkeypatch.setenv("CURBSIDE_ACCOUNTS__MIN_PASSWORD_LENGTH", "14")
    settings = Settings()
    assert (settings.accounts.sign_in_attempts_per_minute, settings.accounts.min_password_length) == (3, 14)
    assert "min_password_length" not in ArticlesSettings.model_fields


def test_the_old_password_length_key_is_read_as_the_accounts_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURBSIDE_ARTICLES__MIN_PASSWORD_LENGTH", "12")
    assert Settings().accounts.min_password_length == 12
    assert Settings(articles={"min_password_length": 16}).accounts.min_password_length == 16  # type: ignore[arg-type]
