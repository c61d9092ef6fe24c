"""KnowledgeStore on real SQLite and real PostgreSQL: sources, passages, embeddings, tombstones
and index watermarks, with real MedQuAD passages (tests/fixtures/retrieval)."""

from __future__ import annotations

import numpy as np
import pytest

from curbside.db import get_engine
from curbside.domain import EvidenceLevel, Section, SourceDocument
from curbside.ingest.chunking import Chunker
from curbside.kb.store import IndexState, KnowledgeStore, document_hash
from curbside.retrieval.embedder import HashEmbedder
from tests.retrieval.corpus import by_focus, document, passages, revision, source_id

CHUNKER = Chunker()
MODEL = "hash-256"


@pytest.fixture
def store(database_url: str) -> KnowledgeStore:
    return KnowledgeStore(get_engine(database_url))


def write(store: KnowledgeStore, *documents: SourceDocument) -> int:
    items = [(d, CHUNKER.chunk(d), document_hash(d, CHUNKER.version)) for d in documents]
    return store.write_documents(items, CHUNKER.version)


def pks_of(store: KnowledgeStore, source: str) -> list[int]:
    ids = [p.id for p in store.source_passages(source)]
    return sorted(pk for pk, _, _ in store.passages_by_id(ids).values())


def test_documents_are_stored_with_their_passages(store: KnowledgeStore) -> None:
    corpus = passages()[:3]
    assert write(store, *(document(p) for p in corpus)) == 3
    assert store.max_passage_pk() >= 3

    a1c = document(by_focus("A1C"))
    assert store.known_hashes([a1c.source.id, "missing"]) == \
        {a1c.source.id: document_hash(a1c, CHUNKER.version)}
    stored = store.source(a1c.source.id)
    assert stored == a1c.source
    assert [p.text for p in store.source_passages(a1c.source.id)] == [by_focus("A1C").text]

    by_id = store.passages_by_id([f"{a1c.source.id}#0"])
    pk, passage, source = by_id[f"{a1c.source.id}#0"]
    assert passage.text == by_focus("A1C").text and source.id == a1c.source.id
    assert store.passages_by_pk([pk]) == {pk: (passage, source)}
    assert store.passages_by_pk([]) == {} and store.passages_by_id([]) == {}
    assert store.source("missing") is None
    assert [s.id for s in store.iter_sources(batch=2)] == sorted(source_id(p) for p in corpus)


def test_rewriting_a_source_tombstones_its_old_passages(store: KnowledgeStore) -> None:
    croup = by_focus("Croup")
    write(store, document(croup))
    old = pks_of(store, source_id(croup))
    store.write_embeddings(MODEL, old, HashEmbedder().embed([croup.text]))
    assert store.tombstones_after(0) == []

    changed = document(croup).model_copy(update={"sections": [
        Section(headings=["Overview"], text=croup.text),
        Section(headings=["Course"], text=revision(croup.key))]})
    assert write(store, changed) == 2

    new = pks_of(store, source_id(croup))
    assert len(new) == 2 and min(new) > max(old)  # keys only grow
    stones = store.tombstones_after(0)
    assert [pk for _, pk in stones] == old
    assert store.max_tombstone_seq() == stones[-1][0]
    assert store.tombstones_after(stones[-1][0]) == []
    assert store.passages_by_pk(old) == {}
    assert store.vectors(MODEL, old, 256) == {}  # the old passage's vector went with it
    texts = [p.text for p in store.source_passages(source_id(croup))]
    assert texts == [croup.text, revision(croup.key)]
    assert [p.headings for p in store.source_passages(source_id(croup))] == [["Overview"], ["Course"]]


def test_deleting_a_source_tombstones_it_and_keys_are_never_reused(store: KnowledgeStore) -> None:
    flu, asthma = by_focus("Flu"), by_focus("Asthma")
    write(store, document(flu), document(asthma))
    flu_pks = pks_of(store, source_id(flu))
    top = store.max_passage_pk()

    assert store.delete_source(source_id(flu)) == len(flu_pks)
    assert store.source(source_id(flu)) is None
    assert store.source_passages(source_id(flu)) == []
    assert [pk for _, pk in store.tombstones_after(0)] == flu_pks
    assert store.delete_source("missing") == 0

    asthma_top = pks_of(store, source_id(asthma))
    assert store.delete_source(source_id(asthma)) == 1
    write(store, document(flu))
    assert min(pks_of(store, source_id(flu))) > max(top, *asthma_top)


def test_embeddings_per_model(store: KnowledgeStore) -> None:
    corpus = passages()[:5]
    write(store, *(document(p) for p in corpus))
    assert store.count_without_embedding(MODEL) == 5
    pending = store.passages_without_embedding(MODEL, 3)
    assert [p.pk for p in pending] == sorted(p.pk for p in pending)
    assert [p.passage.text for p in pending] == [p.text for p in corpus[:3]]

    vectors = HashEmbedder().embed([p.passage.text for p in pending])
    store.write_embeddings(MODEL, [p.pk for p in pending], vectors)
    assert store.count_without_embedding(MODEL) == 2
    assert store.count_without_embedding("other-model") == 5
    back = store.vectors(MODEL, [p.pk for p in pending], 256)
    for row, p in enumerate(pending):
        np.testing.assert_allclose(back[p.pk], vectors[row], atol=1e-3)  # stored as float16

    store.write_embeddings(MODEL, [pending[0].pk], -vectors[:1])  # rewriting replaces
    np.testing.assert_allclose(store.vectors(MODEL, [pending[0].pk], 256)[pending[0].pk],
                               -vectors[0], atol=1e-3)
    assert store.stats()["embeddings_by_model"] == {MODEL: 3}


def test_index_state_round_trip(store: KnowledgeStore) -> None:
    assert store.index_state("dense-x") == IndexState("dense-x", 0, 0, {})
    store.save_index_state(IndexState("dense-x", 12, 3, {"embedding_model": "m"}))
    store.save_index_state(IndexState("lexical-y", 1, 0, {}))
    assert store.index_state("dense-x") == IndexState("dense-x", 12, 3, {"embedding_model": "m"})
    store.save_index_state(IndexState("dense-x", 40, 5, {"embedding_model": "m2"}))
    assert store.index_state("dense-x") == IndexState("dense-x", 40, 5, {"embedding_model": "m2"})
    assert store.index_state("lexical-y").passage_watermark == 1


def test_indexed_passages_page_by_watermark_with_filter_metadata(store: KnowledgeStore) -> None:
    corpus = passages()
    write(store, *(document(p) for p in corpus))
    seen = []
    watermark = 0
    while batch := store.indexed_passages_after(watermark, 7):
        assert len(batch) <= 7
        seen.extend(batch)
        watermark = batch[-1].key
    assert [p.key for p in seen] == sorted(p.key for p in seen)
    assert len(seen) == 20 and watermark == store.max_passage_pk()

    by_text = {p.text: p for p in seen}
    for original in corpus:
        indexed = by_text[original.text]
        assert (indexed.title, indexed.kind, indexed.audience, indexed.collection, indexed.year) == \
            (original.focus, original.kind, original.audience, original.collection, original.year)

    headed = document(by_focus("Flu")).model_copy(update={"sections": [
        Section(headings=["Flu", "Overview"], text=by_focus("Flu").text)]})
    write(store, headed)
    last = store.indexed_passages_after(watermark, 10)
    assert [p.text for p in last] == ["Flu > Overview: " + by_focus("Flu").text]


def test_evidence_ranks_and_stats(store: KnowledgeStore) -> None:
    corpus = passages()
    strong = document(corpus[0])
    strong = strong.model_copy(update={"source": strong.source.model_copy(
        update={"evidence_level": EvidenceLevel.SYSTEMATIC_REVIEW})})
    write(store, strong, *(document(p) for p in corpus[1:]))
    levels = store.evidence_ranks([pk for pk, _, _ in store.passages_by_id(
        [f"{source_id(p)}#0" for p in corpus[:2]]).values()])
    assert sorted(levels.values()) == ["systematic_review", "unknown"]

    stats = store.stats()
    assert (stats["sources"], stats["passages"]) == (20, 20)
    assert stats["sources_by_collection"] == {"medquad-a": 10, "medquad-b": 10}
    kinds: dict[str, int] = {}
    for p in corpus:
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    assert stats["sources_by_kind"] == kinds
    assert stats["chunkers"] == [CHUNKER.version]
    assert stats["embeddings_by_model"] == {}
