"""`curbside kb migrate`: indexes of another backend rebuilt from the database, resumable.

Real SQLite, real tantivy/usearch, real Milvus Lite; the hash embedder (vectors are not what is
tested here: the rows and watermarks are)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curbside.cli.main import app
from curbside.kb import service
from curbside.kb.migrate import migrate_indexes, settings_for
from curbside.kb.service import KnowledgeBase
from curbside.retrieval import milvus_index
from curbside.retrieval.embedder import HashEmbedder
from curbside.settings import RetrievalSettings, Settings
from tests.retrieval.corpus import by_focus, document, passages, source_id


def close(kb: KnowledgeBase) -> None:
    closer = getattr(kb._dense, "close", None)
    if closer is not None:
        closer()


@pytest.fixture
def embedded(tmp_path: Path) -> Settings:
    # BM25 in Milvus too (on Lite that takes milvus_bm25="on"; 'auto' keeps tantivy there).
    settings = Settings(data_dir=tmp_path / "data", starter_pack=False,
                        retrieval=RetrievalSettings(milvus_bm25="on"))
    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    kb.ingest(document(p) for p in passages())
    return settings


def test_migrate_to_milvus_resumes_after_an_interruption_and_moves_back(
        embedded: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "_INDEX_BATCH", 5)
    real_upsert = milvus_index.MilvusIndex.upsert
    calls = {"n": 0}

    def failing_upsert(self: milvus_index.MilvusIndex, *args: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("interrupted")
        real_upsert(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(milvus_index.MilvusIndex, "upsert", failing_upsert)
    with pytest.raises(RuntimeError, match="interrupted"):
        migrate_indexes(embedded, "milvus", embedder=HashEmbedder())
    milvus = KnowledgeBase(settings_for(embedded, "milvus"), embedder=HashEmbedder())
    top = milvus.store.max_passage_pk()
    state = milvus.store.index_state(milvus.dense_name)
    assert 0 < state.passage_watermark < top  # two batches of five were recorded
    assert milvus.dense.count() == 10
    close(milvus)

    report = migrate_indexes(embedded, "milvus", embedder=HashEmbedder())
    assert report.to_dict() == {"target": "milvus", "passages": 20, "lexical_count": 20,
                                "dense_count": 20, "embedded_now": 0}
    assert calls["n"] == 3 + 2  # only the two missing batches were written again

    milvus = KnowledgeBase(settings_for(embedded, "milvus"), embedder=HashEmbedder())
    croup = by_focus("Croup")
    hits = milvus.search("barking cough", k=3, mode="bm25")
    assert hits[0].source.id == source_id(croup)
    # A source deleted while on Milvus leaves Milvus, and the embedded indexes catch up on return.
    assert milvus.store.delete_source(source_id(croup)) == 1
    milvus.refresh()
    assert milvus.dense.count() == 19
    close(milvus)

    back = migrate_indexes(embedded, "embedded", embedder=HashEmbedder())
    assert (back.passages, back.lexical_count, back.dense_count) == (19, 19, 19)
    kb = KnowledgeBase(embedded, embedder=HashEmbedder())
    assert source_id(croup) not in [h.source.id for h in kb.search("barking cough", k=5)]


def test_cli_migrate_reports_counts_and_refuses_unknown_backends(
        embedded: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURBSIDE_EMBEDDING__MODEL", "hash")
    monkeypatch.setenv("CURBSIDE_DATA_DIR", str(embedded.data_dir))
    monkeypatch.setenv("CURBSIDE_RETRIEVAL__MILVUS_BM25", "on")
    runner = CliRunner()
    result = runner.invoke(app, ["kb", "migrate", "--to", "milvus", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lexical_count"] == 20
    bad = runner.invoke(app, ["kb", "migrate", "--to", "faiss"])
    assert bad.exit_code != 0 and "Unknown backend 'faiss'" in " ".join(bad.output.split())
