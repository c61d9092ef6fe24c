"""DailyMed SPL: a real label's sections by LOINC code, zips, and `kb pull dailymed` on recorded responses."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from curbside.cli import kb_pull
from curbside.cli.main import app
from curbside.domain import Audience, InfoType, SourceDocument, SourceKind
from curbside.ingest.base import IngestProblem
from curbside.ingest.dailymed import DailyMedAdapter
from curbside.ingest.dailymed_client import DailyMedClient
from curbside.ingest.registry import adapter_for
from curbside.settings import DailyMedSettings
from tests.ingest.dailymed_mock import FIXTURES, FakeDailyMed
from tests.ingest.ncbi_mock import FakeClock

SPL = FIXTURES / "dexamethasone_spl_excerpt.xml"
SET_ID = "64b46398-9b97-45e8-b1ba-1a202d574448"
runner = CliRunner()


def _doc(path: Path = SPL) -> SourceDocument:
    items = list(DailyMedAdapter().read(path))
    assert len(items) == 1 and isinstance(items[0], SourceDocument)
    return items[0]


def test_label_sections_by_loinc_code_with_headings() -> None:
    doc = _doc()
    src = doc.source
    assert src.id == f"dailymed:{SET_ID}" and src.kind is SourceKind.DRUG_LABEL
    assert src.audience is Audience.BOTH and src.collection == "dailymed"  # the same label from openFDA is for both
    assert src.title == "Dexamethasone Tablets, USP (4 mg and 6 mg) Rx Only"
    assert src.publisher == "Major Pharmaceuticals" and src.year == 2024
    assert src.url.endswith(f"setid={SET_ID}") and "Public domain" in src.license
    assert src.identifiers.other["spl_version"] == "2" and src.identifiers.other["effective_date"] == "20240702"
    assert "dexamethasone" in src.topics
    assert [s.headings for s in doc.sections] == [
        ["Indications and usage"], ["Contraindications"], ["Warnings", "Cardio-renal"],
        ["Warnings", "Infections", "Fungal Infections"]]  # clinical pharmacology and product data left out
    # Typed by LOINC code; the nested subsections (no code of their own we know) take their parent's type.
    assert [s.kind for s in doc.sections] == [InfoType.USAGE, InfoType.CONTRAINDICATIONS, InfoType.WARNINGS,
                                              InfoType.WARNINGS]
    assert doc.sections[1].text == (
        "Systemic fungal infections (see WARNINGS, Fungal infections).\n"
        "Dexamethasone tablets are contraindicated in patients who are hypersensitive to any components of this product.")
    assert doc.sections[0].text.startswith("Allergic states\nControl of severe or incapacitating allergic conditions")


def test_registry_picks_the_spl_adapter_for_xml_and_zip(tmp_path: Path) -> None:
    assert isinstance(adapter_for(SPL), DailyMedAdapter)
    archive = tmp_path / "label.zip"
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as z:
        z.write(SPL, "dexamethasone.xml")
        z.writestr("image.jpg", b"\xff\xd8")
    with zipfile.ZipFile(archive, "w") as z:
        z.write(inner, "prescription/label.zip")
        z.writestr("notes.xml", "<other/>")
    assert isinstance(adapter_for(archive), DailyMedAdapter)
    items = list(DailyMedAdapter().read(archive))
    assert [i.source.id for i in items if isinstance(i, SourceDocument)] == [f"dailymed:{SET_ID}"]
    assert not [i for i in items if isinstance(i, IngestProblem)]


def test_client_searches_then_fetches_and_reports_missing_labels() -> None:
    fake, clock = FakeDailyMed(), FakeClock()
    settings = DailyMedSettings(requests_per_second=2.0)
    with DailyMedClient(settings, http=fake.client(), clock=clock, sleep=clock.sleep) as client:
        found = client.search("dexamethasone", 2)
        items = list(client.fetch_documents(found.labels))
    assert found.total == 2 and found.labels[0].set_id == SET_ID
    assert dict(fake.requests[0].url.params) == {"drug_name": "dexamethasone", "pagesize": "2", "page": "1"}
    assert isinstance(items[0], SourceDocument) and isinstance(items[1], IngestProblem)
    assert "withdrawn or unknown" in items[1].message
    assert clock.sleeps and all(s == pytest.approx(0.5) for s in clock.sleeps)  # polite: 2 requests a second


@pytest.fixture
def dailymed(monkeypatch: pytest.MonkeyPatch) -> FakeDailyMed:
    fake, clock = FakeDailyMed(), FakeClock()

    def factory(settings: DailyMedSettings) -> DailyMedClient:
        return DailyMedClient(settings, http=fake.client(), clock=clock, sleep=clock.sleep)

    monkeypatch.setattr(kb_pull, "dailymed_client_factory", factory)
    monkeypatch.setenv("CURBSIDE_EMBEDDING__MODEL", "hash")
    return fake


def test_kb_pull_dailymed_ingests_then_adds_nothing(dailymed: FakeDailyMed) -> None:
    result = runner.invoke(app, ["kb", "pull", "dailymed", "dexamethasone", "--max", "2", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["fetched"] == 2 and report["documents_written"] == 1
    assert len(report["problems"]) == 1
    again = json.loads(runner.invoke(app, ["kb", "pull", "dailymed", "dexamethasone", "--max", "2", "--json"]).stdout)
    assert again["documents_written"] == 0 and again["documents_unchanged"] == 1
    hits = json.loads(runner.invoke(app, ["kb", "search", "systemic fungal infections contraindicated", "--json",
                                          "--mode", "bm25", "--k", "1"]).stdout)
    assert hits[0]["source"]["id"] == f"dailymed:{SET_ID}"
    assert hits[0]["passage"]["headings"] == ["Contraindications"]


def test_kb_pull_dailymed_upstream_failure(dailymed: FakeDailyMed) -> None:
    dailymed.failures.extend([httpx.Response(503, text="busy")] * 4)
    result = runner.invoke(app, ["kb", "pull", "dailymed", "dexamethasone"])
    assert result.exit_code == 1
    assert "DailyMed (spls.json) failed after 4 attempt(s)" in " ".join(result.output.split())
