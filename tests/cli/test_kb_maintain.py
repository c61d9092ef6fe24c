"""`curbside kb remove` and `curbside kb retractions` through CliRunner, on recorded E-utilities responses."""

from __future__ import annotations

import json

import pytest
from tests.ingest.ncbi_mock import FIXTURES, FakeClock, FakeNCBI
from typer.testing import CliRunner

from curbside.cli import kb_pull
from curbside.cli.main import app
from curbside.ingest.eutils import EUtilsClient
from curbside.settings import PubMedSettings

runner = CliRunner()


@pytest.fixture
def ncbi(monkeypatch: pytest.MonkeyPatch) -> FakeNCBI:
    fake, clock = FakeNCBI(), FakeClock()

    def factory(settings: PubMedSettings) -> EUtilsClient:
        return EUtilsClient(settings, http=fake.client(), clock=clock, sleep=clock.sleep)

    monkeypatch.setattr(kb_pull, "client_factory", factory)
    monkeypatch.setenv("CURBSIDE_EMBEDDING__MODEL", "hash")
    monkeypatch.setenv("CURBSIDE_STARTER_PACK", "false")
    return fake


def _search(query: str) -> list[str]:
    hits = json.loads(runner.invoke(app, ["kb", "search", query, "--json", "--mode", "bm25", "--k", "3"]).stdout)
    return [h["source"]["id"] for h in hits]


def test_retractions_found_then_removed(ncbi: FakeNCBI) -> None:
    assert runner.invoke(app, ["kb", "pull", "pubmed", "lace plant", "--max", "5"]).exit_code == 0
    assert _search("lace plant perforations")[0] == "pmid:21645374"
    ncbi.esearch = FIXTURES / "esearch_retracted.json"
    listed = json.loads(runner.invoke(app, ["kb", "retractions", "--json"]).stdout)
    assert listed == {"checked": 5, "retracted": ["pmid:21645374"], "removed": []}
    term = ncbi.params(ncbi.requests[-1])["term"]
    assert term.startswith("(10808977[uid] OR ") and term.endswith(") AND retracted publication[pt]")
    assert "pmid:21645374" in _search("lace plant perforations")  # listing removes nothing
    removed = json.loads(runner.invoke(app, ["kb", "retractions", "--remove", "--json"]).stdout)
    assert removed["removed"] == ["pmid:21645374"]
    assert "pmid:21645374" not in _search("lace plant perforations")


def test_remove_by_id_and_unknown_id(ncbi: FakeNCBI) -> None:
    assert runner.invoke(app, ["kb", "pull", "pubmed", "lace plant", "--max", "5"]).exit_code == 0
    result = runner.invoke(app, ["kb", "remove", "pmid:21645374"])
    assert result.exit_code == 0, result.output
    assert "removed 1 source(s)" in result.output
    assert "pmid:21645374" not in _search("lace plant perforations")
    missing = runner.invoke(app, ["kb", "remove", "pmid:1"])
    assert missing.exit_code == 2 and "No such source: pmid:1" in missing.output  # a 4xx error: exit 2
