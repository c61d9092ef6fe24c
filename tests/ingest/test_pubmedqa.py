"""PubMedQA adapter on a real excerpt of ori_pqal.json (three records and one malformed one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curbside.domain import Audience, EvidenceLevel, SourceDocument
from curbside.errors import SourceFormatError
from curbside.ingest.base import IngestProblem
from curbside.ingest.pubmedqa import PubMedQAAdapter

ADAPTER = PubMedQAAdapter()


def test_records_and_the_malformed_one(fixtures_dir: Path) -> None:
    path = fixtures_dir / "pubmedqa" / "ori_pqal_excerpt.json"
    raw = json.loads(path.read_text())
    assert ADAPTER.can_read(path)
    items = list(ADAPTER.read(path))
    docs = {i.source.id: i for i in items if isinstance(i, SourceDocument)}
    problems = [i for i in items if isinstance(i, IngestProblem)]
    assert sorted(docs) == ["pmid:12442934", "pmid:23831910", "pmid:23848044"]
    assert len(problems) == 1 and problems[0].origin.endswith("#90000001")
    assert "malformed record" in problems[0].message

    doc = docs["pmid:23831910"]
    record = raw["23831910"]
    assert doc.source.title == record["QUESTION"]
    assert doc.source.year == int(record["YEAR"])
    assert doc.source.audience is Audience.CLINICIAN and doc.source.collection == "pubmedqa"
    assert doc.source.url == "https://pubmed.ncbi.nlm.nih.gov/23831910/"
    assert [s.headings for s in doc.sections] == [["Methods"], ["Results"], ["Conclusions"]]
    assert doc.sections[0].text == record["CONTEXTS"][0]
    assert doc.sections[-1].text == record["LONG_ANSWER"]
    assert doc.source.topics == record["MESHES"]


def test_evidence_level_from_mesh_study_designs(fixtures_dir: Path) -> None:
    items = list(ADAPTER.read(fixtures_dir / "pubmedqa" / "ori_pqal_excerpt.json"))
    levels = {i.source.id: i.source.evidence_level for i in items if isinstance(i, SourceDocument)}
    assert levels == {
        "pmid:23848044": EvidenceLevel.OBSERVATIONAL,  # MeSH "Retrospective Studies"
        "pmid:12442934": EvidenceLevel.RCT,  # MeSH "Double-Blind Method"
        "pmid:23831910": EvidenceLevel.UNKNOWN,  # no study-design heading
    }
    labels = [s.headings for s in next(i for i in items if isinstance(i, SourceDocument)
                                       and i.source.id == "pmid:12442934").sections]
    assert labels == [["Background and Objective"], ["Methods"], ["Results"], ["Conclusions"]]


def test_not_json_and_wrong_shape(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"QUESTION": "CONTEXTS" ')
    with pytest.raises(SourceFormatError, match="not readable PubMedQA JSON"):
        list(ADAPTER.read(bad))
    wrong = tmp_path / "list.json"
    wrong.write_text('[{"QUESTION": 1, "CONTEXTS": []}]')
    with pytest.raises(SourceFormatError, match="expected an object keyed by PMID"):
        list(ADAPTER.read(wrong))
    other = tmp_path / "other.json"
    other.write_text('{"a": 1}')
    assert not ADAPTER.can_read(other)


def test_unlabelled_sections_get_no_heading(fixtures_dir: Path, tmp_path: Path) -> None:
    """As in the PubMed adapter: UNLABELLED is no heading, and upper-case labels keep small words small."""
    raw = json.loads((fixtures_dir / "pubmedqa" / "ori_pqal_excerpt.json").read_text(encoding="utf-8"))
    record = raw["23831910"]
    record["LABELS"] = ["UNLABELLED", "PATIENTS AND METHODS"][: len(record["CONTEXTS"])] + \
        ["RESULTS"] * max(0, len(record["CONTEXTS"]) - 2)
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"23831910": record}), encoding="utf-8")
    doc = next(i for i in ADAPTER.read(path) if isinstance(i, SourceDocument))
    assert doc.sections[0].headings == []
    assert doc.sections[1].headings == ["Patients and Methods"]
