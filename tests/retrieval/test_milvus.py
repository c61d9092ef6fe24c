"""MilvusIndex beyond the shared conformance suite: settings, safe filter expressions, the index
Milvus Lite builds, errors, and several instances on one Lite file. Runs on real Milvus Lite."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from pymilvus import DataType, MilvusClient

from curbside.domain import Audience, SearchFilters, SourceKind
from curbside.errors import IndexMismatchError, InputError, MissingExtraError, UpstreamError
from curbside.retrieval import milvus_index
from curbside.retrieval.base import IndexedPassage
from curbside.retrieval.milvus_index import MilvusIndex, filter_expression, quote, redact_uri
from curbside.settings import RetrievalSettings, Settings

DIM = 8


def passage(key: int, collection: str = "c", **changes: object) -> IndexedPassage:
    fields: dict[str, object] = {"key": key, "text": "", "title": "", "kind": "guideline",
                                 "audience": "both", "collection": collection, "year": 2020}
    fields.update(changes)
    return IndexedPassage(**fields)  # type: ignore[arg-type]


def basis(i: int) -> npt.NDArray[np.float32]:
    v = np.zeros(DIM, dtype=np.float32)
    v[i % DIM] = 1.0
    return v


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[MilvusIndex]:
    index = MilvusIndex(str(tmp_path / "milvus.db"), "unit", DIM)
    yield index
    index.close()


def test_filter_expression_quotes_every_value_and_adds_both() -> None:
    assert filter_expression(None) == ""
    assert filter_expression(SearchFilters()) == ""
    assert filter_expression(SearchFilters(kinds=[SourceKind.TRIAL, SourceKind.GUIDELINE])) == \
        '(kind in ["trial", "guideline"])'
    assert filter_expression(SearchFilters(audiences=[Audience.PATIENT])) == \
        '(audience in ["both", "patient"])'
    assert filter_expression(SearchFilters(collections=["a"], year_min=2000, year_max=2010)) == \
        '(collection in ["a"]) and (year != 0) and (year >= 2000) and (year <= 2010)'
    hostile = 'x"] or key >= 0 or collection in ["'
    expression = filter_expression(SearchFilters(collections=[hostile]))
    assert expression == f"(collection in [{quote(hostile)}])"
    assert quote(hostile) == '"x\\"] or key >= 0 or collection in [\\""'
    assert quote('back\\slash\nnew line') == '"back\\\\slash\\nnew line"'


def test_odd_filter_values_match_only_themselves(lite: MilvusIndex) -> None:
    values = ["plain", "it's", 'say "hi"', "back\\slash", 'x" or key > 0 or collection == "',
              "ünïcode", "tab\there", "new\nline", "x') or (1 == 1"]
    lite.upsert([passage(i + 1, v) for i, v in enumerate(values)],
                np.stack([basis(i) for i in range(len(values))]))
    lite.commit()
    query = np.ones(DIM, dtype=np.float32)
    for i, value in enumerate(values):
        hits = lite.search(query, 50, SearchFilters(collections=[value]))
        assert [h.key for h in hits] == [i + 1], value
    assert lite.search(query, 50, SearchFilters(collections=['" or "" == "'])) == []


def test_from_settings_uses_a_lite_file_in_the_index_directory(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, retrieval=RetrievalSettings(backend="milvus",
                                                                       milvus_collection="mine"))
    index = MilvusIndex.from_settings(settings, DIM, tmp_path / "dense")
    try:
        assert index.lite and index.uri == str(tmp_path / "dense" / "milvus.db")
        assert (tmp_path / "dense" / "milvus.db").exists()
        client = MilvusClient(index.uri)  # the same in-process Lite server
        assert client.has_collection("mine")
        vector_index = client.describe_index("mine", "vector")
        # Lite gets AUTOINDEX (HNSW over FAISS in milvus-lite 3.x) with the cosine metric.
        assert (vector_index["index_type"], vector_index["metric_type"]) == ("AUTOINDEX", "COSINE")
        assert set(client.list_indexes("mine")) == {"vector", "sparse", "kind", "audience", "collection",
                                                    "year"}
        fields = {f["name"]: f for f in client.describe_collection("mine")["fields"]}
        assert fields["key"]["is_primary"] and fields["vector"]["params"]["dim"] == DIM
        client.close()
    finally:
        index.close()


def test_from_settings_prefers_milvus_uri(tmp_path: Path) -> None:
    uri = str(tmp_path / "elsewhere" / "custom.db")
    settings = Settings(data_dir=tmp_path,
                        retrieval=RetrievalSettings(backend="milvus", milvus_uri=uri))
    index = MilvusIndex.from_settings(settings, DIM, tmp_path / "dense")
    try:
        assert index.uri == uri and index.collection == "curbside_passages"
        assert not (tmp_path / "dense" / "milvus.db").exists()
    finally:
        index.close()


def test_scores_are_cosine_similarity(lite: MilvusIndex) -> None:
    vectors = np.stack([basis(0), basis(1), -basis(0), basis(0) + basis(1)])
    lite.upsert([passage(k) for k in (1, 2, 3, 4)], vectors.astype(np.float32))
    hits = lite.search(basis(0) * 3, 4)
    assert [h.key for h in hits] == [1, 4, 2, 3]
    assert [h.score for h in hits] == pytest.approx([1.0, 2 ** -0.5, 0.0, -1.0], abs=1e-5)


def test_search_limit_is_capped_at_milvus_top_k(lite: MilvusIndex) -> None:
    lite.upsert([passage(1)], basis(0)[None, :])
    assert [h.key for h in lite.search(basis(0), milvus_index.MAX_TOP_K * 10)] == [1]


def test_missing_year_fails_any_year_bound(lite: MilvusIndex) -> None:
    lite.upsert([passage(1, year=None), passage(2, year=1999)], np.stack([basis(0), basis(1)]))
    assert [h.key for h in lite.search(basis(0), 5, SearchFilters(year_max=2030))] == [2]
    assert [h.key for h in lite.search(basis(0), 5, SearchFilters(year_min=1))] == [2]
    assert {h.key for h in lite.search(basis(0), 5)} == {1, 2}


def test_bad_rows_are_refused_before_reaching_milvus(lite: MilvusIndex) -> None:
    with pytest.raises(InputError, match="longer than 512 bytes"):
        lite.upsert([passage(1, "é" * 300)], basis(0)[None, :])
    with pytest.raises(InputError, match="dimension 8"):
        lite.upsert([passage(1)], np.ones((1, DIM + 1), dtype=np.float32))
    assert lite.count() == 0


def test_reopening_with_another_dimension_is_a_mismatch(tmp_path: Path) -> None:
    uri = str(tmp_path / "milvus.db")
    MilvusIndex(uri, "shared", DIM).close()
    with pytest.raises(IndexMismatchError, match="milvus_collection") as caught:
        MilvusIndex(uri, "shared", DIM * 2)
    assert caught.value.details == {"collection": "shared", "collection_dim": DIM,
                                    "embedder_dim": DIM * 2}
    MilvusIndex(uri, "other", DIM * 2).close()  # another collection in the same file is fine


def test_instances_on_one_lite_file_share_it_until_the_last_closes(tmp_path: Path) -> None:
    uri = str(tmp_path / "milvus.db")
    first, second = MilvusIndex(uri, "shared", DIM), MilvusIndex(uri, "shared", DIM)
    first.upsert([passage(1)], basis(0)[None, :])
    first.commit()
    first.close()
    first.close()  # closing twice is harmless
    assert second.count() == 1  # still served after the first instance closed
    second.close()
    third = MilvusIndex(uri, "shared", DIM)  # a fresh server reads the file back
    try:
        assert [h.key for h in third.search(basis(0), 3)] == [1]
    finally:
        third.close()


def test_unreachable_server_is_an_upstream_error_without_the_password() -> None:
    with pytest.raises(UpstreamError) as caught:
        MilvusIndex("http://curbside:s3cret@127.0.0.1:1", "x", DIM, connect_timeout=1.0)
    error = caught.value
    assert error.retryable and error.status == 502
    assert "s3cret" not in error.message and "curbside:***@127.0.0.1:1" in error.message
    assert "retrieval.milvus_uri" in error.message
    assert redact_uri("http://127.0.0.1:19530") == "http://127.0.0.1:19530"


def test_missing_pymilvus_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pymilvus", None)  # import pymilvus now raises ImportError
    with pytest.raises(MissingExtraError) as caught:
        MilvusIndex(str(tmp_path / "milvus.db"), "x", DIM)
    assert caught.value.details == {"extra": "milvus", "module": "pymilvus"}
    assert "pip install 'curbside[milvus]'" in caught.value.message


def test_commit_flushes_lite_every_time_and_a_server_at_most_once_per_interval(
        lite: MilvusIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    flushes: list[str] = []
    real_flush = lite._client.flush

    def counting_flush(name: str) -> None:
        flushes.append(name)
        real_flush(name)

    monkeypatch.setattr(lite._client, "flush", counting_flush)
    lite.upsert([passage(1)], basis(0)[None, :])
    lite.commit()
    lite.commit()
    assert flushes == ["unit", "unit"]

    # A server rate-limits flush (0.1/s per collection by default); writes are durable without it.
    assert milvus_index.SERVER_FLUSH_INTERVAL_S >= 10
    lite._flush_interval = milvus_index.SERVER_FLUSH_INTERVAL_S
    for _ in range(5):
        lite.upsert([passage(2)], basis(1)[None, :])
        lite.commit()
    assert flushes == ["unit", "unit"]  # flushed moments ago
    lite._last_flush -= milvus_index.SERVER_FLUSH_INTERVAL_S
    lite.commit()
    assert len(flushes) == 3
    assert lite.count() == 2  # every write is visible whether or not it was flushed


def test_a_collection_made_before_bm25_is_a_mismatch_naming_the_migration(tmp_path: Path) -> None:
    uri = str(tmp_path / "milvus.db")
    client = MilvusClient(uri)
    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("key", DataType.INT64, is_primary=True)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=DIM)
    for field, length in milvus_index.MAX_LENGTHS.items():
        schema.add_field(field, DataType.VARCHAR, max_length=length)
    schema.add_field("year", DataType.INT64)
    params = client.prepare_index_params()
    params.add_index(field_name="vector", index_type="AUTOINDEX", metric_type="COSINE")
    client.create_collection("old", schema=schema, index_params=params)
    client.close()
    with pytest.raises(IndexMismatchError, match="kb migrate --to milvus") as caught:
        MilvusIndex(uri, "old", DIM)
    assert caught.value.details["missing_fields"] == ["sparse", "text"]


def test_bm25_search_and_hybrid_fused_in_milvus(lite: MilvusIndex) -> None:
    texts = ["barking cough at night", "blood sugar over three months", "a cough and a cold"]
    lite.upsert([passage(i + 1, text=t) for i, t in enumerate(texts)],
                np.stack([basis(0), basis(1), basis(2)]))
    lite.commit()
    hits = lite.search_text("barking cough", 5)
    assert [h.key for h in hits] == [1, 3] and hits[0].score > hits[1].score > 0
    assert lite.search_text("unrelated words", 5) == []
    assert lite.search_text("the and of", 5) == []  # stop words only
    assert lite.search_text("cough", 5, SearchFilters(collections=["none"])) == []
    # Hybrid: RRF inside Milvus; key 2 is found by the dense side only.
    fused = lite.hybrid_search("barking cough", basis(1) + 0.5 * basis(0), 3, candidates=3)
    assert {h.key for h in fused} == {1, 2, 3}
    # Σ 1/(60 + rank): key 1 is first by BM25 and among the first two by cosine.
    assert fused[0].key == 1 and fused[0].score == pytest.approx(1 / 61 + 1 / 62, rel=1e-3)
    assert [h.score for h in fused] == sorted((h.score for h in fused), reverse=True)
    assert lite.hybrid_search("cough", basis(0), 0) == []
    assert milvus_index.indexed_text(passage(1, text="x" * 70_000, title="T")).encode().__len__() \
        == milvus_index.MAX_TEXT_BYTES
