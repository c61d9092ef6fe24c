"""The BEIR adapter and the query/judgement loaders, on a real NFCorpus excerpt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curbside.domain import Audience, SourceDocument, SourceKind
from curbside.errors import InputError
from curbside.ingest.base import IngestProblem
from curbside.ingest.beir import BEIRAdapter, doc_id_of, load_qrels, load_queries, source_id
from curbside.ingest.registry import adapter_for, read_paths
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings


@pytest.fixture
def mini(fixtures_dir: Path) -> Path:
    return fixtures_dir / "beir" / "nfcorpus-mini"


def _documents(items: list[SourceDocument | IngestProblem]) -> list[SourceDocument]:
    return [i for i in items if isinstance(i, SourceDocument)]


def test_recognises_corpus_by_name_and_by_first_line(mini: Path, tmp_path: Path) -> None:
    adapter = BEIRAdapter()
    assert adapter.can_read(mini / "corpus.jsonl")
    renamed = tmp_path / "docs.jsonl"
    renamed.write_text((mini / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[0] + "\n")
    assert adapter.can_read(renamed)
    assert not adapter.can_read(mini / "queries.jsonl")  # no title: a query, not a document
    assert not adapter.can_read(mini / "qrels" / "test.tsv")
    other = tmp_path / "other.jsonl"
    other.write_text('{"id": 1, "body": "x"}\n')
    assert not adapter.can_read(other)
    assert isinstance(adapter_for(mini / "corpus.jsonl"), BEIRAdapter)


def test_reads_every_document_with_provenance(mini: Path) -> None:
    items = list(BEIRAdapter().read(mini / "corpus.jsonl"))
    docs = _documents(items)
    assert len(docs) == len(items) == 30
    first_line = json.loads((mini / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[0])
    doc = docs[0]
    src = doc.source
    assert src.id == f"beir:nfcorpus-mini:{first_line['_id']}"
    assert src.kind is SourceKind.RESEARCH_ARTICLE
    assert src.audience is Audience.CLINICIAN
    assert src.collection == "beir:nfcorpus-mini"
    assert src.title == first_line["title"]
    assert src.url == first_line["metadata"]["url"]
    assert src.identifiers.pmid == first_line["metadata"]["url"].rsplit("/", 1)[-1]
    assert src.identifiers.other["beir"] == f"nfcorpus-mini/{first_line['_id']}"
    assert doc.sections[0].headings == [first_line["title"]]
    assert doc.sections[0].text == first_line["text"]
    assert len({d.source.id for d in docs}) == 30


def test_bad_lines_are_reported_and_the_rest_loads(tmp_path: Path) -> None:
    folder = tmp_path / "trial"
    folder.mkdir()
    good = {"_id": "D1", "title": "Passage about topic A", "text": "Some text about topic A.",
            "metadata": {}}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"title": "no id", "text": "x"}),
        json.dumps(["a", "list"]),
        json.dumps({"_id": "D2", "title": "", "text": ""}),
        "",
        json.dumps({"_id": "D3", "title": "", "text": "Text without a title."}),
        json.dumps({"_id": "D4", "title": "Title only", "text": ""}),
    ]
    corpus = folder / "corpus.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(BEIRAdapter().read(corpus))
    docs = _documents(items)
    problems = [i for i in items if isinstance(i, IngestProblem)]
    assert [d.source.id for d in docs] == ["beir:trial:D1", "beir:trial:D3", "beir:trial:D4"]
    assert [p.origin for p in problems] == [f"{corpus}:{n}" for n in (2, 3, 4, 5)]
    assert docs[1].source.title == "D3" and docs[1].sections[0].headings == []
    assert docs[2].sections[0].text == "Title only"
    assert docs[0].source.url == "" and docs[0].source.identifiers.pmid is None


def test_queries_and_qrels(mini: Path) -> None:
    queries = load_queries(mini)
    assert len(queries) == 6 and queries["PLAIN-1731"] == "norovirus"
    qrels = load_qrels(mini, "test")
    assert set(qrels) == {"PLAIN-332", "PLAIN-441", "PLAIN-1731", "PLAIN-1236", "PLAIN-1353"}
    assert qrels["PLAIN-441"]["MED-941"] == 2
    assert sum(len(j) for j in qrels.values()) == 19
    with pytest.raises(InputError, match="splits here: test"):
        load_qrels(mini, "dev")
    with pytest.raises(InputError, match=r"queries\.jsonl"):
        load_queries(mini / "qrels")


def test_ids_round_trip() -> None:
    assert doc_id_of(source_id("nfcorpus", "MED-10"), "nfcorpus") == "MED-10"
    assert doc_id_of("beir:scifact:4983", "nfcorpus") is None


def test_registry_reads_a_beir_directory_into_the_knowledge_base(
        mini: Path, settings: Settings, embedder: Embedder) -> None:
    items = list(read_paths([mini]))
    docs = _documents(items)
    assert len(docs) == 30
    kb = KnowledgeBase(settings, embedder=embedder)
    report = kb.ingest(docs)
    assert report.documents_written == 30 and report.passages_written >= 30
    hits = kb.search("norovirus", k=5, mode="bm25")
    relevant = set(load_qrels(mini)["PLAIN-1731"])
    assert hits and doc_id_of(hits[0].source.id, "nfcorpus-mini") in relevant
    # Every passage carries its article's title as heading.
    assert all(h.passage.headings == [h.source.title] for h in hits)
    assert kb.ingest(docs).documents_unchanged == 30
