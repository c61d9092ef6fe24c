"""read_paths over a directory mixing good and bad files, and idempotent ingest into a real KB."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from curbside.domain import SourceDocument
from curbside.ingest.base import IngestProblem
from curbside.ingest.registry import adapter_for, list_files, read_paths
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder, HashEmbedder
from curbside.settings import Settings

GOOD = 15  # 2 MedQuAD pages, 3 PubMedQA records, 5 + 3 PubMed articles, 2 local documents
BAD = {"0000001.xml", "ori_pqal_excerpt.json#90000001", "baseline_sample.xml.gz#DeleteCitation",
       "broken.pdf", "hostile_xxe.xml", "not_xml.xml", "notes.txt"}


@pytest.fixture
def mixed(fixtures_dir: Path, tmp_path: Path) -> Path:
    root = tmp_path / "mixed"
    copies = {
        "medquad/3_GHR_QA/0000708.xml": "medquad/0000708.xml",
        "medquad/6_NINDS_QA/0000007.xml": "medquad/0000007.xml",
        "medquad/10_MPlus_ADAM_QA/0000001.xml": "medquad/0000001.xml",  # answers removed
        "medquad/LICENSE.txt": "medquad/LICENSE.txt",  # licence files are skipped
        "pubmedqa/ori_pqal_excerpt.json": "ori_pqal_excerpt.json",  # one malformed record
        "pubmed/efetch_pubmedqa.xml": "pubmed/efetch_pubmedqa.xml",
        "pubmed/baseline_sample.xml.gz": "pubmed/baseline_sample.xml.gz",  # with a DeleteCitation
        "pubmed/hostile_xxe.xml": "pubmed/hostile_xxe.xml",
        "documents/local_protocol.md": "docs/local_protocol.md",
        "documents/policy_page.html": "docs/policy_page.html",
        "documents/broken.pdf": "docs/broken.pdf",
    }
    for source, target in copies.items():
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(fixtures_dir / source, root / target)
    (root / "not_xml.xml").write_text("plain words, not XML")
    (root / "notes.txt").write_text("a text file no adapter reads")
    (root / ".hidden.md").write_text("# Hidden\n\nHidden files are left out.")
    return root


def _split(items: list[SourceDocument | IngestProblem]) -> tuple[list[SourceDocument], list[IngestProblem]]:
    docs = [i for i in items if isinstance(i, SourceDocument)]
    return docs, [i for i in items if isinstance(i, IngestProblem)]


def test_bad_files_become_problems_and_the_rest_loads(mixed: Path) -> None:
    files = list_files([mixed])
    assert not any(f.name in {"LICENSE.txt", ".hidden.md"} for f in files)
    docs, problems = _split(list(read_paths([mixed])))
    assert len(docs) == GOOD
    assert len({d.source.id for d in docs}) == GOOD
    assert {Path(p.origin).name for p in problems} == BAD
    collections = sorted({d.source.collection for d in docs})
    assert collections == ["local", "medquad", "pubmed", "pubmedqa"]
    reasons = {Path(p.origin).name: p.message for p in problems}
    assert reasons["notes.txt"] == "no adapter reads this kind of file"
    assert reasons["not_xml.xml"] == "no adapter reads this kind of file"
    assert "entities" in reasons["hostile_xxe.xml"]
    assert "not a readable PDF" in reasons["broken.pdf"]


def test_adapters_are_chosen_by_format(mixed: Path) -> None:
    names = {f.name: (a.name if (a := adapter_for(f)) else None) for f in list_files([mixed])}
    assert names["0000708.xml"] == "medquad"
    assert names["efetch_pubmedqa.xml"] == "pubmed"
    assert names["baseline_sample.xml.gz"] == "pubmed"
    assert names["ori_pqal_excerpt.json"] == "pubmedqa"
    assert names["local_protocol.md"] == names["policy_page.html"] == names["broken.pdf"] == "documents"
    assert names["notes.txt"] is None


def test_ingesting_the_same_directory_twice_adds_nothing(mixed: Path, settings: Settings) -> None:
    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    first = kb.ingest(read_paths([mixed]))
    assert first.documents_seen == first.documents_written == GOOD
    assert first.passages_written > GOOD
    assert {Path(p.origin).name for p in first.problems} == BAD
    second = kb.ingest(read_paths([mixed]))
    assert second.documents_written == 0 and second.passages_written == 0
    assert second.documents_unchanged == GOOD
    stats = kb.stats()
    assert stats["sources"] == GOOD
    assert stats["lexical_count"] == stats["dense_count"] == stats["passages"] == first.passages_written
    assert stats["sources_by_collection"] == {"local": 2, "medquad": 2, "pubmed": 8, "pubmedqa": 3}


def test_real_embedder_finds_the_right_sources(fixtures_dir: Path, settings: Settings,
                                               embedder: Embedder) -> None:
    kb = KnowledgeBase(settings, embedder=embedder)
    paths = [fixtures_dir / "medquad", fixtures_dir / "pubmed" / "efetch_pubmedqa.xml",
             fixtures_dir / "documents" / "local_protocol.md"]
    report = kb.ingest(read_paths(paths))
    assert report.documents_written == 10  # 4 MedQuAD pages (one has no answers), 5 articles, 1 doc
    hits = kb.search("a pupil that constricts slowly and lost tendon reflexes", mode="dense", k=3)
    assert hits[0].source.id == "medquad:NINDS:0000007"
    hits = kb.search("how mitochondria change as lace plant leaf cells die", mode="dense", k=3)
    assert hits[0].source.id == "pmid:21645374"
    hits = kb.search("tapeworm infection from undercooked pork", k=3)
    assert hits[0].source.id == "medquad:CDC:0000397"
    assert hits[0].passage.headings  # the MedQuAD question heading travels with the passage
