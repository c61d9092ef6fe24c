"""`curbside kb pull pubmed` end to end through CliRunner, on recorded E-utilities responses."""

from __future__ import annotations

import json

import httpx
import pytest
from typer.testing import CliRunner

from curbside.cli import kb_pull
from curbside.cli.main import app
from curbside.ingest.eutils import EUtilsClient
from curbside.settings import PubMedSettings
from tests.ingest.ncbi_mock import FakeClock, FakeNCBI

runner = CliRunner()


@pytest.fixture
def ncbi(monkeypatch: pytest.MonkeyPatch) -> FakeNCBI:
    """Serve recorded responses; the hash embedder keeps the run fast."""
    fake = FakeNCBI()
    clock = FakeClock()

    def factory(settings: PubMedSettings) -> EUtilsClient:
        return EUtilsClient(settings, http=fake.client(), clock=clock, sleep=clock.sleep)

    monkeypatch.setattr(kb_pull, "client_factory", factory)
    monkeypatch.setenv("CURBSIDE_EMBEDDING__MODEL", "hash")
    monkeypatch.setenv("CURBSIDE_PUBMED__EMAIL", "curbside-tests@example.org")
    return fake


def test_pull_ingests_then_adds_nothing_the_second_time(ncbi: FakeNCBI) -> None:
    result = runner.invoke(app, ["kb", "pull", "pubmed", "lace plant", "--max", "5", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["count"] == 5 and report["fetched"] == 5
    assert report["documents_written"] == 5 and report["problems"] == []
    assert ncbi.params(ncbi.requests[1])["email"] == "curbside-tests@example.org"

    again = json.loads(runner.invoke(app, ["kb", "pull", "pubmed", "lace plant", "--max", "5",
                                           "--json"]).stdout)
    assert again["documents_written"] == 0 and again["documents_unchanged"] == 5

    hits = json.loads(runner.invoke(app, ["kb", "search", "lace plant perforations", "--json",
                                          "--mode", "bm25", "--k", "1"]).stdout)
    assert hits[0]["source"]["id"] == "pmid:21645374"
    assert hits[0]["source"]["collection"] == "pubmed"


def test_pull_prints_a_readable_summary(ncbi: FakeNCBI) -> None:
    result = runner.invoke(app, ["kb", "pull", "pubmed", "lace plant", "--max", "5"])
    assert result.exit_code == 0, result.output
    assert "PubMed: 5 articles match; fetching 5" in result.stdout
    assert "5 new or changed" in result.stdout


def test_upstream_failure_is_one_clear_error(ncbi: FakeNCBI) -> None:
    ncbi.failures.extend([httpx.Response(503, text="Service unavailable")] * 4)
    result = runner.invoke(app, ["kb", "pull", "pubmed", "lace plant", "--max", "5"])
    assert result.exit_code == 1
    message = " ".join(result.output.split())  # rich wraps long lines
    assert message.startswith("error (upstream_error): NCBI E-utilities (esearch.fcgi) failed after "
                              "4 attempt(s) (HTTP 503: Service unavailable)")
    result = runner.invoke(app, ["kb", "pull", "pubmed", "x", "--max", "0"])
    assert result.exit_code == 2  # typer refuses --max below 1
