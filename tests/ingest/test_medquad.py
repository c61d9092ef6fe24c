"""MedQuAD adapter on real files: a normal page, the NINDS and CDC variants, removed answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.domain import Audience, EvidenceLevel, SourceDocument, SourceKind
from curbside.errors import SourceFormatError
from curbside.ingest.base import IngestProblem
from curbside.ingest.medquad import MedQuADAdapter, clean_question

ADAPTER = MedQuADAdapter()


def _one(path: Path) -> SourceDocument | IngestProblem:
    assert ADAPTER.can_read(path)
    items = list(ADAPTER.read(path))
    assert len(items) == 1
    return items[0]


def test_normal_page(fixtures_dir: Path) -> None:
    doc = _one(fixtures_dir / "medquad" / "3_GHR_QA" / "0000708.xml")
    assert isinstance(doc, SourceDocument)
    src = doc.source
    assert src.id == "medquad:GHR:0000708"
    assert src.title == "myostatin-related muscle hypertrophy"
    assert src.url == "https://ghr.nlm.nih.gov/condition/myostatin-related-muscle-hypertrophy"
    assert src.publisher == "Genetics Home Reference, U.S. National Library of Medicine"
    assert src.kind is SourceKind.PATIENT_EDUCATION and src.audience is Audience.PATIENT
    assert src.evidence_level is EvidenceLevel.EXPERT
    assert src.license == "CC BY 4.0" and "MedQuAD" in src.attribution
    assert src.collection == "medquad"
    assert src.identifiers.other == {"medquad": "GHR/0000708", "umls_cui": "C2931112"}
    assert src.topics == ["myostatin-related muscle hypertrophy", "Muscle hypertrophy syndrome"]
    questions = [s.headings[0] for s in doc.sections]
    assert questions[0] == "What is myostatin-related muscle hypertrophy?"  # "(are)" and " ?" cleaned
    assert "How many people are affected by myostatin-related muscle hypertrophy?" in questions
    assert doc.sections[1].text == "The prevalence of this condition is unknown."


def test_ninds_doc_variant(fixtures_dir: Path) -> None:
    doc = _one(fixtures_dir / "medquad" / "6_NINDS_QA" / "0000007.xml")
    assert isinstance(doc, SourceDocument)
    assert doc.source.id == "medquad:NINDS:0000007"
    assert doc.source.title == "Holmes-Adie"
    assert doc.source.publisher.startswith("National Institute of Neurological Disorders")
    assert doc.sections[0].headings == ["What is holmes-adie syndrome?"]
    assert doc.sections[0].text.startswith("Holmes-Adie syndrome (HAS) is a neurological disorder")
    assert "umls_cui" not in doc.source.identifiers.other  # its <cui> is empty


def test_cdc_disease_file_variant(fixtures_dir: Path) -> None:
    doc = _one(fixtures_dir / "medquad" / "9_CDC_QA" / "0000397.xml")
    assert isinstance(doc, SourceDocument)
    assert doc.source.id == "medquad:CDC:0000397"
    assert doc.source.title == "Parasites - Taeniasis"
    assert doc.sections[1].headings == ["Who is at risk for Parasites - Taeniasis??"]
    # &apos; is decoded and paragraphs stay on their own lines.
    assert "Persons who don't eat raw or undercooked beef" in doc.sections[1].text
    assert "\n" in doc.sections[1].text


def test_removed_answers_are_reported(fixtures_dir: Path) -> None:
    problem = _one(fixtures_dir / "medquad" / "10_MPlus_ADAM_QA" / "0000001.xml")
    assert isinstance(problem, IngestProblem)
    assert "no answered question-answer pairs" in problem.message


def test_gard_page_with_one_empty_answer_keeps_the_other(fixtures_dir: Path) -> None:
    doc = _one(fixtures_dir / "medquad" / "2_GARD_QA" / "0002080.xml")
    assert isinstance(doc, SourceDocument)
    assert len(doc.sections) == 1  # the pair with <Answer></Answer> is left out
    assert doc.sections[0].headings == ["What are the symptoms of Emery-Dreifuss muscular dystrophy, X-linked?"]
    assert doc.source.topics[:2] == ["Emery-Dreifuss muscular dystrophy, X-linked",
                                     "Muscular dystrophy, tardive Emery-Dreifuss type, with contractures"]


def test_broken_and_foreign_files(tmp_path: Path, fixtures_dir: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text('<?xml version="1.0"?><Document id="1"><Focus>x</Focus>')
    with pytest.raises(SourceFormatError, match="not well-formed"):
        list(ADAPTER.read(broken))
    assert not ADAPTER.can_read(fixtures_dir / "pubmed" / "efetch_pubmedqa.xml")
    assert not ADAPTER.can_read(fixtures_dir / "documents" / "local_protocol.md")


def test_clean_question() -> None:
    assert clean_question("what is (are) topic a ?") == "What is topic a?"


def test_a_page_with_an_empty_focus_is_titled_by_its_first_question(fixtures_dir: Path) -> None:
    # MedQuAD CDC 0000199 has <Focus></Focus>: a reference titled "0000199" tells a reader nothing
    doc = _one(fixtures_dir / "medquad_focusless" / "9_CDC_QA" / "0000199.xml")
    assert isinstance(doc, SourceDocument)
    assert doc.source.id == "medquad:CDC:0000199"
    assert doc.source.title == "How vaccines prevent disease"
    assert doc.source.topics[0] == doc.source.title
