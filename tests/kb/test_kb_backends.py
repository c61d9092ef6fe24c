"""KnowledgeBase end to end on every store (SQLite, PostgreSQL) and every vector backend
(embedded usearch, Milvus Lite): ingest, hybrid/bm25/dense search, filters, replacing and
deleting sources, stats. Real MedQuAD passages from tests/fixtures/retrieval."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from curbside.domain import SearchFilters, SearchHit
from curbside.errors import InputError
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder, HashEmbedder
from curbside.settings import RetrievalSettings, Settings
from tests.retrieval.corpus import (
    FILTER_CASES,
    CachingEmbedder,
    by_focus,
    document,
    matches,
    passages,
    revision,
    source_id,
)

MakeKB = Callable[[Embedder], KnowledgeBase]


@pytest.fixture(scope="module")
def real_model(embedder: Embedder) -> Embedder:
    """The real packaged model; each text is embedded once for all stores and backends."""
    return CachingEmbedder(embedder)


@pytest.fixture(params=["embedded", "milvus"])
def make_kb(request: pytest.FixtureRequest, tmp_path: Path, database_url: str) -> Iterator[MakeKB]:
    """Builds the KnowledgeBase for this store × backend; closes Milvus Lite afterwards."""
    made: list[KnowledgeBase] = []

    def run(embedder: Embedder) -> KnowledgeBase:
        settings = Settings(data_dir=tmp_path / "data", database_url=database_url, starter_pack=False,
                            retrieval=RetrievalSettings(backend=request.param))
        kb = KnowledgeBase(settings, embedder=embedder)
        made.append(kb)
        return kb

    yield run
    for kb in made:
        close = getattr(kb._dense, "close", None)
        if close is not None:
            close()


def ingest_corpus(kb: KnowledgeBase) -> None:
    report = kb.ingest(document(p) for p in passages())
    assert (report.documents_written, report.passages_written, report.problems) == (20, 20, [])


def sources(hits: list[SearchHit]) -> list[str]:
    return [h.source.id for h in hits]


def test_search_modes_and_filters_with_the_real_model(make_kb: MakeKB, real_model: Embedder) -> None:
    kb = make_kb(real_model)
    ingest_corpus(kb)
    croup = source_id(by_focus("Croup"))

    hybrid = kb.search("barking cough and a hoarse voice", k=5)
    assert hybrid[0].source.id == croup
    assert hybrid[0].lexical is not None and hybrid[0].lexical.rank == 1
    assert hybrid[0].dense is not None and hybrid[0].dense.rank == 1
    assert [h.rank for h in hybrid] == [1, 2, 3, 4, 5]

    bm25 = kb.search("barking cough and a hoarse voice", k=5, mode="bm25")
    assert bm25[0].source.id == croup
    assert all(h.dense is None and h.lexical is not None for h in bm25)

    # No word in common with the passage: only the embedding finds it.
    dense = kb.search("memory loss and confusion in old age", k=3, mode="dense")
    assert dense[0].source.id == source_id(by_focus("Alzheimer's Disease"))
    assert all(h.lexical is None and h.dense is not None for h in dense)
    assert kb.search("memory loss and confusion in old age", k=3, mode="bm25") == []

    for case, filters in FILTER_CASES.items():
        expected = sorted(source_id(p) for p in passages() if matches(p, filters))
        assert sorted(sources(kb.search("health", k=50, mode="dense", filters=filters))) == expected, case
        hits = kb.search("barking cough and a hoarse voice", k=10, filters=filters)
        assert set(sources(hits)) <= set(expected), case
        if croup in expected:
            assert hits[0].source.id == croup, case

    again = kb.ingest(document(p) for p in passages())
    assert (again.documents_written, again.documents_unchanged) == (0, 20)
    stats = kb.stats()
    assert (stats["passages"], stats["lexical_count"], stats["dense_count"]) == (20, 20, 20)


def test_changed_source_replaces_its_passages_in_every_index(make_kb: MakeKB) -> None:
    kb = make_kb(HashEmbedder())
    ingest_corpus(kb)
    croup = by_focus("Croup")
    assert sources(kb.search("barking", k=5, mode="bm25")) == [source_id(croup)]

    report = kb.ingest([document(croup, text=revision(croup.key))])
    assert (report.documents_written, report.passages_written) == (1, 1)

    assert kb.search("barking", k=5, mode="bm25") == []
    new = kb.search("starts out like a cold", k=3, mode="bm25")
    assert new[0].source.id == source_id(croup) and new[0].passage.text == revision(croup.key)
    for mode in ("dense", "hybrid"):
        texts = [h.passage.text for h in kb.search(croup.text, k=50, mode=mode)]
        assert croup.text not in texts and revision(croup.key) in texts, mode
    stats = kb.stats()
    assert (stats["passages"], stats["lexical_count"], stats["dense_count"]) == (20, 20, 20)


def test_deleted_source_leaves_every_index(make_kb: MakeKB) -> None:
    kb = make_kb(HashEmbedder())
    ingest_corpus(kb)
    flu = by_focus("Flu")
    assert kb.store.delete_source(source_id(flu)) == 1
    kb.refresh()

    for mode in ("hybrid", "bm25", "dense"):
        assert source_id(flu) not in sources(kb.search(flu.text, k=50, mode=mode)), mode
    stats = kb.stats()
    assert (stats["sources"], stats["passages"]) == (19, 19)
    assert (stats["lexical_count"], stats["dense_count"]) == (19, 19)


def test_stats_describe_store_and_indexes(make_kb: MakeKB) -> None:
    kb = make_kb(HashEmbedder())
    assert kb.is_empty()
    ingest_corpus(kb)
    assert not kb.is_empty()
    stats = kb.stats()
    assert stats["sources"] == 20
    assert stats["sources_by_collection"] == {"medquad-a": 10, "medquad-b": 10}
    assert stats["embeddings_by_model"] == {HashEmbedder.name: 20}
    indexes = stats["indexes"]
    assert isinstance(indexes, dict) and set(indexes) == {kb.lexical_name, kb.dense_name}
    top = kb.store.max_passage_pk()
    for name, state in indexes.items():
        assert state["passage_watermark"] == top, name
    assert indexes[kb.dense_name]["built_with"]["embedding_model"] == HashEmbedder.name
    backend = kb.settings.retrieval.backend
    assert kb.dense_name.startswith(f"dense-{backend}-")
    assert kb.dense.name == ("milvus" if backend == "milvus" else "usearch-hnsw")


def test_empty_knowledge_base_and_bad_queries(make_kb: MakeKB) -> None:
    kb = make_kb(HashEmbedder())
    for mode in ("hybrid", "bm25", "dense"):
        assert kb.search("anything at all", mode=mode) == []
    with pytest.raises(InputError, match="empty"):
        kb.search("   ")
    with pytest.raises(InputError, match="Unknown search mode"):
        kb.search("cough", mode="fuzzy")
    assert kb.search("cough", filters=SearchFilters(collections=["none"])) == []
