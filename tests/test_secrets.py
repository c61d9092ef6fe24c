"""Secrets in the settings are SecretStr: never shown by repr, dumps or error messages."""

from __future__ import annotations

from pydantic import SecretStr

from curbside.settings import Settings


def test_secret_settings_are_hidden(monkeypatch: object) -> None:
    settings = Settings(llm={"api_key": "sk-llm-1"}, pubmed={"api_key": "ncbi-2"},  # type: ignore[arg-type]
                        web={"secret_key": "cookie-3"}, starter_pack=False)
    shown = repr(settings) + str(settings.model_dump()) + settings.model_dump_json()
    for secret in ("sk-llm-1", "ncbi-2", "cookie-3"):
        assert secret not in shown
    assert isinstance(settings.llm.api_key, SecretStr) and settings.llm.api_key.get_secret_value() == "sk-llm-1"
    assert settings.pubmed.api_key.get_secret_value() == "ncbi-2"
    assert settings.web.secret_key.get_secret_value() == "cookie-3"
    assert settings.fingerprint() == Settings(starter_pack=False).fingerprint()  # secrets change no answer
