"""The knowledge base with BM25 *and* dense vectors in Milvus (one collection; Milvus's BM25
function), on real Milvus Lite with the real packaged model, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from curbside.domain import SearchFilters
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.retrieval.milvus_index import MilvusLexicalIndex
from curbside.settings import RetrievalSettings, Settings
from tests.retrieval.corpus import (
    FILTER_CASES,
    CachingEmbedder,
    by_focus,
    document,
    matches,
    passages,
    source_id,
)


@pytest.fixture
def kb(tmp_path: Path, database_url: str, embedder: Embedder) -> Iterator[KnowledgeBase]:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, starter_pack=False,
                        retrieval=RetrievalSettings(backend="milvus", milvus_bm25="on"))
    made = KnowledgeBase(settings, embedder=CachingEmbedder(embedder))
    yield made
    made.dense.close()  # type: ignore[attr-defined]


def test_milvus_holds_both_indexes_and_search_works_in_every_mode(kb: KnowledgeBase) -> None:
    report = kb.ingest(document(p) for p in passages())
    assert report.passages_written == 20
    assert isinstance(kb.lexical, MilvusLexicalIndex)
    assert kb.lexical_name == kb.dense_name  # one collection, one watermark
    assert not (kb.index_root / "lexical-tantivy-bm25-v2").exists()  # no local tantivy folder
    croup = source_id(by_focus("Croup"))

    hybrid = kb.search("barking cough and a hoarse voice", k=5)
    assert hybrid[0].source.id == croup
    assert hybrid[0].lexical is not None and hybrid[0].lexical.rank == 1
    assert hybrid[0].dense is not None and hybrid[0].dense.rank == 1
    bm25 = kb.search("barking cough and a hoarse voice", k=5, mode="bm25")
    assert bm25[0].source.id == croup and all(h.dense is None for h in bm25)
    assert kb.search("memory loss and confusion in old age", k=3, mode="bm25") == []

    for case, filters in FILTER_CASES.items():
        expected = sorted(source_id(p) for p in passages() if matches(p, filters))
        got = [h.source.id for h in kb.search("barking cough and a hoarse voice", k=20,
                                              mode="bm25", filters=filters)]
        assert set(got) <= set(expected), case
        assert (croup in expected) == (croup in got), case
        if croup in expected:
            assert got[0] == croup, case

    flu = by_focus("Flu")
    assert kb.store.delete_source(source_id(flu)) == 1
    kb.refresh()
    for mode in ("hybrid", "bm25", "dense"):
        assert source_id(flu) not in [h.source.id for h in kb.search(flu.text, k=50, mode=mode)]
    stats = kb.stats()
    assert (stats["lexical_count"], stats["dense_count"]) == (19, 19)
    assert set(stats["indexes"]) == {kb.dense_name}  # type: ignore[arg-type]


def test_hybrid_fused_inside_milvus(tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings(data_dir=tmp_path / "data", starter_pack=False,
                        retrieval=RetrievalSettings(backend="milvus", milvus_bm25="on",
                                                    milvus_fusion="milvus"))
    kb = KnowledgeBase(settings, embedder=CachingEmbedder(embedder))
    try:
        kb.ingest(document(p) for p in passages())
        croup = source_id(by_focus("Croup"))
        hits = kb.search("barking cough and a hoarse voice", k=5)
        assert hits[0].source.id == croup
        assert hits[0].dense is not None and hits[0].dense.rank == 1
        assert 0.3 < hits[0].dense.score <= 1.0  # the cosine, as the relevance checks expect
        assert hits[0].score == pytest.approx(2 / 61, rel=1e-3)  # first in both: RRF k=60
        assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
        filtered = kb.search("barking cough", k=20,
                             filters=SearchFilters(collections=["none"]))
        assert filtered == []
    finally:
        kb.dense.close()  # type: ignore[attr-defined]
