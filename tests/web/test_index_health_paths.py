"""Index health on every entry point (issue 25, item 2): with the index folder gone, the CLI stops
naming `curbside kb rebuild` instead of "No results." or an abstention, and
the server answers 503 — never saving an article made on the lost index — until its background
maintenance has rebuilt the indexes from the database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from curbside.cli.main import app as cli
from tests.web.conftest import make_app, web_settings_for

QUESTION = "What are gallstones?"


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_cli_stops_or_warns_when_the_index_folder_is_gone(
        web_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURBSIDE_DATA_DIR", str(web_data))
    shutil.rmtree(web_data / "indexes")
    runner = CliRunner()
    search = runner.invoke(cli, ["kb", "search", "gallstones"])
    assert search.exit_code != 0 and "No results" not in search.output
    assert "curbside kb rebuild" in _flat(search.output)
    ask = runner.invoke(cli, ["ask", QUESTION])
    assert ask.exit_code != 0 and "curbside kb rebuild" in _flat(ask.output)
    stats = runner.invoke(cli, ["kb", "stats"])
    assert stats.exit_code != 0 and "curbside kb rebuild" in _flat(stats.output)
    assert "missing" in stats.output
    rebuilt = runner.invoke(cli, ["kb", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    again = runner.invoke(cli, ["kb", "search", "gallstones"])
    assert again.exit_code == 0 and "allstone" in again.output


def test_the_server_never_saves_an_answer_made_on_a_lost_index_and_heals(web_data: Path) -> None:
    settings = web_settings_for(web_data, maintenance_interval_s=0)  # run the upkeep by hand
    with TestClient(make_app(settings)) as client:
        before = client.get("/api/v1/articles").json()
        shutil.rmtree(web_data / "indexes")
        response = client.post("/api/v1/ask", json={"question": QUESTION})
        assert response.status_code == 503, response.text
        error = response.json()["error"]
        assert error["code"] == "index_unavailable" and "curbside kb rebuild" in error["message"]
        assert client.get("/api/v1/articles").json() == before  # nothing saved
        client.app.state.services.maintainer.run_once()  # type: ignore[attr-defined]
        healed = client.post("/api/v1/ask", json={"question": QUESTION})
        assert healed.status_code == 200, healed.text
        assert healed.json()["version"]["answer"]["references"]
