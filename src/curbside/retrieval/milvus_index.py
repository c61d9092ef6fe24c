"""Dense and BM25 retrieval with Milvus (pymilvus): a Milvus server, or a Milvus Lite file.

The optional extra ``curbside[milvus]`` brings pymilvus and milvus-lite. One collection holds a
row per passage: ``key`` (INT64 primary key), ``vector`` (FLOAT_VECTOR, COSINE), ``text`` (the
title and passage, VARCHAR analysed by Milvus: standard tokenizer, lowercase, ASCII folding,
English stemmer and Lucene's English stop words — the tantivy index's steps; see ``ANALYZER``
for what Milvus Lite leaves out),
``sparse`` (SPARSE_FLOAT_VECTOR filled *by Milvus* from ``text`` with its built-in BM25 function,
``SPARSE_INVERTED_INDEX`` with the BM25 metric) and the filter columns ``kind``, ``audience``,
``collection`` (VARCHAR) and ``year`` (INT64, 0 = unknown). So a Milvus deployment holds the
whole retrieval state: every app server sees the same lexical and dense index.

Three searches: :meth:`MilvusIndex.search` (dense), :meth:`MilvusIndex.search_text` (BM25 over
``sparse``; the query text is analysed by Milvus) and :meth:`MilvusIndex.hybrid_search` (both as
one ``hybrid_search`` request fused by Milvus's ``RRFRanker``). :class:`MilvusLexicalIndex`
presents the BM25 side as a :class:`~curbside.retrieval.base.LexicalIndex`.

Index choice: a server gets ``HNSW`` (M=16, efConstruction=200, search ef = max(k, 64)). Milvus
Lite gets ``AUTOINDEX``, the one type every Lite generation accepts: milvus-lite 2.4.x (the C++
build) takes only FLAT, IVF_FLAT and AUTOINDEX and scans by brute force whatever the type, while
milvus-lite 3.x (pure Python over FAISS) takes HNSW, HNSW_SQ, IVF_FLAT, IVF_SQ8, FLAT and
AUTOINDEX and builds HNSW for AUTOINDEX when faiss-cpu is installed (brute force otherwise).
Both use COSINE and report the similarity itself (1 = same direction), so higher is better.
Scalar INVERTED indexes on the four filter columns speed filtered search on a server.

Filters are Milvus boolean expressions built from quoted literals only (see
:func:`filter_expression`). The collection is created with ``Strong`` consistency so a search sees
every write before it; ``commit`` flushes (throttled on a server, which rate-limits flush). Milvus
Lite allows one process per file: the web server and a CLI ingest cannot share one at once.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import numpy.typing as npt

from curbside.domain import SearchFilters
from curbside.errors import IndexMismatchError, InputError, MissingExtraError, UpstreamError
from curbside.retrieval.base import IndexedPassage, Scored, audience_values

if TYPE_CHECKING:
    from curbside.settings import Settings

#: Longest value (UTF-8 bytes) of each text filter column.
MAX_LENGTHS = {"kind": 64, "audience": 32, "collection": 512}
#: The largest ``limit`` a Milvus server accepts in one search.
MAX_TOP_K = 16_384
#: Longest ``text`` value (UTF-8 bytes): Milvus's VARCHAR limit.
MAX_TEXT_BYTES = 65_535
#: Fields a collection must have; one made by curbside before BM25 lacks ``text``/``sparse``.
REQUIRED_FIELDS = frozenset({"key", "vector", "text", "sparse", *MAX_LENGTHS, "year"})
#: The BM25 analyzer's stop filter: Lucene's English list, as tantivy's ``english`` filter (an index
#: setting, not curbside's text vocabulary, which lives in answer/understand/terms.py).
LUCENE_ENGLISH_STOP = ("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into",
              "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then",
              "there", "these", "they", "this", "to", "was", "will", "with")
#: A Milvus server applies every step; Milvus Lite 3.x applies the tokenizer, lowercasing and
#: the stop words but has no stemmer (its StandardAnalyzer), so "coughs" ≠ "cough" on Lite.
ANALYZER: dict[str, object] = {
    "tokenizer": "standard",
    "filter": ["lowercase", "asciifolding", {"type": "stemmer", "language": "english"},
               {"type": "stop", "stop_words": list(LUCENE_ENGLISH_STOP)}],
}
LITE_FILE = "milvus.db"
_UPSERT_BATCH = 1000
_HNSW_BUILD = {"M": 16, "efConstruction": 200}
_MIN_EF = 64
#: Seconds between two flushes of a server collection (see MilvusIndex.commit).
SERVER_FLUSH_INTERVAL_S = 60.0

_lite_lock = threading.Lock()
_lite_users: dict[str, int] = {}  # Milvus Lite path → open MilvusIndex instances in this process


def _pymilvus() -> Any:
    try:
        import pymilvus
    except ImportError as exc:
        raise MissingExtraError("milvus", "pymilvus") from exc
    return pymilvus


def is_lite_uri(uri: str) -> bool:
    """True when ``uri`` names a Milvus Lite file (pymilvus's rule: the URI ends in ``.db``)."""
    return uri.endswith(".db")


def redact_uri(uri: str) -> str:
    """The URI without a password, for messages."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def quote(value: str) -> str:
    """A Milvus string literal: double-quoted, backslash escapes; no value can end it early."""
    return json.dumps(value, ensure_ascii=False)


def filter_expression(filters: SearchFilters | None) -> str:
    """The Milvus boolean expression for ``filters`` ('' = no filter).

    Every string is a quoted literal and every number an ``int``, so no filter value can change
    the expression's structure. A passage without a year (stored as 0) fails any year bound.
    """
    if filters is None or filters.is_empty():
        return ""
    clauses: list[str] = []

    def any_of(field: str, values: Sequence[str]) -> None:
        if values:
            clauses.append(f"{field} in [{', '.join(quote(v) for v in values)}]")

    any_of("kind", [k.value for k in filters.kinds])
    any_of("audience", audience_values(filters))
    any_of("collection", list(filters.collections))
    if filters.year_min is not None or filters.year_max is not None:
        clauses.append("year != 0")
    if filters.year_min is not None:
        clauses.append(f"year >= {int(filters.year_min)}")
    if filters.year_max is not None:
        clauses.append(f"year <= {int(filters.year_max)}")
    return " and ".join(f"({c})" for c in clauses)


class MilvusIndex:
    """Passage vectors in one Milvus collection (a server, or Milvus Lite at a ``.db`` path)."""

    name = "milvus"

    def __init__(self, uri: str, collection: str, dim: int, *,
                 connect_timeout: float = 10.0) -> None:
        pymilvus = _pymilvus()
        self.uri = uri
        self.collection = collection
        self.dim = dim
        self.lite = is_lite_uri(uri)
        self._lite_path = ""
        self._flush_interval = 0.0 if self.lite else SERVER_FLUSH_INTERVAL_S
        self._last_flush = -float("inf")
        if self.lite:
            if importlib.util.find_spec("milvus_lite") is None:
                raise MissingExtraError("milvus", "milvus_lite")
            Path(uri).parent.mkdir(parents=True, exist_ok=True)
            self._lite_path = str(Path(uri).resolve())
        with self._errors("connect to"):
            self._client = pymilvus.MilvusClient(uri=uri, timeout=connect_timeout)
        if self.lite:
            with _lite_lock:
                _lite_users[self._lite_path] = _lite_users.get(self._lite_path, 0) + 1
        try:
            self._open_collection(pymilvus)
        except BaseException:
            self.close()
            raise

    @classmethod
    def from_settings(cls, settings: Settings, dim: int, path: Path) -> MilvusIndex:
        """The index in the settings: ``retrieval.milvus_uri``, or Lite at ``<path>/milvus.db``."""
        cfg = settings.retrieval
        uri = cfg.milvus_uri or str(path / LITE_FILE)
        return cls(uri, cfg.milvus_collection, dim)

    # --- lifecycle ------------------------------------------------------------------------

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Turn pymilvus failures into UpstreamError naming the store and the fix."""
        pymilvus = _pymilvus()
        try:
            yield
        except pymilvus.MilvusException as exc:
            where = redact_uri(self.uri)
            fix = ("check that no other process has this Milvus Lite file open" if self.lite
                   else "check retrieval.milvus_uri and that the Milvus server is running")
            raise UpstreamError(
                f"Milvus could not {action} collection {self.collection!r} at {where}: "
                f"{exc.message}. Fix: {fix}.",
                details={"uri": where, "collection": self.collection}) from exc

    def _open_collection(self, pymilvus: Any) -> None:
        client = self._client
        with self._errors("open"):
            if client.has_collection(self.collection):
                self._check_dim()
                client.load_collection(self.collection)
                return
            data_type = pymilvus.DataType
            schema = pymilvus.MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
            schema.add_field("key", data_type.INT64, is_primary=True)
            schema.add_field("vector", data_type.FLOAT_VECTOR, dim=self.dim)
            schema.add_field("text", data_type.VARCHAR, max_length=MAX_TEXT_BYTES,
                             enable_analyzer=True, analyzer_params=dict(ANALYZER))
            schema.add_field("sparse", data_type.SPARSE_FLOAT_VECTOR)
            schema.add_function(pymilvus.Function(
                name="text_bm25", function_type=pymilvus.FunctionType.BM25,
                input_field_names=["text"], output_field_names=["sparse"]))
            for field, length in MAX_LENGTHS.items():
                schema.add_field(field, data_type.VARCHAR, max_length=length)
            schema.add_field("year", data_type.INT64)
            params = client.prepare_index_params()
            if self.lite:
                params.add_index(field_name="vector", index_type="AUTOINDEX", metric_type="COSINE")
            else:
                params.add_index(field_name="vector", index_type="HNSW", metric_type="COSINE",
                                 params=dict(_HNSW_BUILD))
            params.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX",
                             metric_type="BM25")
            for field in (*MAX_LENGTHS, "year"):
                params.add_index(field_name=field, index_type="INVERTED")
            client.create_collection(self.collection, schema=schema, consistency_level="Strong")
            # sync=False: the collection is empty, so pymilvus's 0.5 s poll per index is waste.
            client.create_index(self.collection, params, sync=False)
            client.load_collection(self.collection)

    def _check_dim(self) -> None:
        fields = self._client.describe_collection(self.collection).get("fields", [])
        vector = next((f for f in fields if f.get("name") == "vector"), None)
        names = {f.get("name") for f in fields}
        dim = int((vector or {}).get("params", {}).get("dim", 0) or 0)
        if vector is not None and dim == self.dim and not names >= REQUIRED_FIELDS:
            raise IndexMismatchError(
                f"Milvus collection {self.collection!r} was made without the BM25 fields "
                f"(missing: {', '.join(sorted(REQUIRED_FIELDS - names))}). Fix: set "
                "retrieval.milvus_collection to a new name and run `curbside kb migrate --to "
                "milvus`, which fills it from the database.",
                details={"collection": self.collection,
                         "missing_fields": sorted(REQUIRED_FIELDS - names)})
        if vector is None or dim != self.dim:
            raise IndexMismatchError(
                f"Milvus collection {self.collection!r} holds other vectors (dim {dim or '?'}) "
                f"than the embedder in force (dim {self.dim}). Fix: set "
                "retrieval.milvus_collection to a new name, or drop the collection and rebuild.",
                details={"collection": self.collection, "collection_dim": dim,
                         "embedder_dim": self.dim})

    def close(self) -> None:
        """Release the connection; the last user of a Lite file also stops its local server."""
        client = getattr(self, "_client", None)
        if client is None:
            return
        self._client = None
        client.close()
        if not self.lite:
            return
        with _lite_lock:
            left = _lite_users.get(self._lite_path, 1) - 1
            if left > 0:
                _lite_users[self._lite_path] = left
                return
            _lite_users.pop(self._lite_path, None)
        try:
            manager = importlib.import_module("milvus_lite.server_manager").server_manager_instance
        except (ImportError, AttributeError):  # pragma: no cover - older Lite: server runs to exit
            return
        manager.release_server(self.uri)

    # --- VectorIndex ----------------------------------------------------------------------

    def upsert(self, passages: Sequence[IndexedPassage], vectors: npt.NDArray[np.float32]) -> None:
        if not passages:
            return
        matrix = np.asarray(vectors, dtype=np.float32)
        if matrix.shape != (len(passages), self.dim):
            raise InputError(f"Expected {len(passages)} vectors of dimension {self.dim}, "
                             f"got shape {matrix.shape}.")
        rows = [self._row(p, matrix[i]) for i, p in enumerate(passages)]
        with self._errors("write to"):
            for start in range(0, len(rows), _UPSERT_BATCH):
                self._client.upsert(self.collection, rows[start : start + _UPSERT_BATCH])

    def _row(self, passage: IndexedPassage, vector: npt.NDArray[np.float32]) -> dict[str, object]:
        row: dict[str, object] = {"key": int(passage.key), "vector": vector.tolist(),
                                  "text": indexed_text(passage), "year": int(passage.year or 0)}
        for field, limit in MAX_LENGTHS.items():
            value = str(getattr(passage, field))
            if len(value.encode()) > limit:
                raise InputError(f"Passage {passage.key}: {field} {value[:40]!r}… is longer "
                                 f"than {limit} bytes, the most the Milvus index stores. "
                                 "Fix: shorten it.")
            row[field] = value
        return row

    def delete(self, keys: Sequence[int]) -> None:
        ids = [int(k) for k in keys]
        with self._errors("delete from"):
            for start in range(0, len(ids), _UPSERT_BATCH):
                self._client.delete(self.collection, ids=ids[start : start + _UPSERT_BATCH])

    def commit(self) -> None:
        """Flush. A server keeps every write in its log before the call returns and seals
        segments by itself, and it rate-limits flush (0.1/s per collection by default), so a
        server collection is flushed at most once per ``SERVER_FLUSH_INTERVAL_S``."""
        now = time.monotonic()
        if now - self._last_flush < self._flush_interval:
            return
        self._last_flush = now
        with self._errors("flush"):
            self._client.flush(self.collection)

    def count(self) -> int:
        with self._errors("count"):
            rows = self._client.query(self.collection, filter="", output_fields=["count(*)"])
        return int(rows[0]["count(*)"]) if rows else 0

    def search(self, vector: npt.NDArray[np.float32], k: int,
               filters: SearchFilters | None = None) -> list[Scored]:
        if k <= 0:
            return []
        limit = min(k, MAX_TOP_K)
        query = np.asarray(vector, dtype=np.float32).reshape(-1).tolist()
        params = {"metric_type": "COSINE", "params": {"ef": max(limit, _MIN_EF)}}
        with self._errors("search"):
            result = self._client.search(self.collection, data=[query], limit=limit,
                                         filter=filter_expression(filters), output_fields=["key"],
                                         search_params=params)
        hits = result[0] if result else []
        return [Scored(_hit_key(hit), float(hit["distance"])) for hit in hits]


    def search_text(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Scored]:
        """BM25 over ``sparse``: Milvus analyses ``query`` with the field's analyzer."""
        if k <= 0 or not query.strip():
            return []
        with self._errors("search"):
            result = self._client.search(self.collection, data=[query], anns_field="sparse",
                                         limit=min(k, MAX_TOP_K), filter=filter_expression(filters),
                                         output_fields=["key"],
                                         search_params={"metric_type": "BM25"})
        hits = result[0] if result else []
        # A BM25 score is positive; a server reports it as is, Milvus Lite 3.x negated (it sorts
        # by ascending "distance"). Hits come best first either way.
        scored = [Scored(_hit_key(hit), abs(float(hit["distance"]))) for hit in hits]
        return [hit for hit in scored if hit.score > 0.0]

    def hybrid_search(self, query: str, vector: npt.NDArray[np.float32], k: int,
                      filters: SearchFilters | None = None, *, candidates: int | None = None,
                      rrf_k: int = 60) -> list[Scored]:
        """BM25 and dense in one request, fused inside Milvus by reciprocal rank (``RRFRanker``).

        Each side fetches ``candidates`` (default ``k``) hits under the same filter; the score is
        Milvus's RRF score, Σ 1 / (rrf_k + rank), so higher is better.
        """
        if k <= 0:
            return []
        if not query.strip():
            return self.search(vector, k, filters)
        pymilvus = _pymilvus()
        limit = min(k, MAX_TOP_K)
        each = min(max(candidates or limit, limit), MAX_TOP_K)
        expression = filter_expression(filters)
        dense = pymilvus.AnnSearchRequest(
            data=[np.asarray(vector, dtype=np.float32).reshape(-1).tolist()], anns_field="vector",
            param={"metric_type": "COSINE", "params": {"ef": max(each, _MIN_EF)}},
            limit=each, expr=expression)
        lexical = pymilvus.AnnSearchRequest(data=[query], anns_field="sparse",
                                            param={"metric_type": "BM25"}, limit=each,
                                            expr=expression)
        with self._errors("search"):
            result = self._client.hybrid_search(self.collection, [lexical, dense],
                                                pymilvus.RRFRanker(rrf_k), limit=limit,
                                                output_fields=["key"])
        hits = result[0] if result else []
        return [Scored(_hit_key(hit), float(hit["distance"])) for hit in hits]


class MilvusLexicalIndex:
    """The BM25 side of a :class:`MilvusIndex` as a lexical index.

    Rows (text and vector together) are written by :meth:`MilvusIndex.upsert`; the knowledge
    base syncs the one collection once, so this view only reads. Writing through it is an error
    rather than a silent no-op.
    """

    name = "milvus-bm25"

    def __init__(self, index: MilvusIndex) -> None:
        self.index = index

    def upsert(self, passages: Sequence[IndexedPassage]) -> None:
        if passages:
            raise InputError("Milvus stores a passage's text with its vector: write it with "
                             "MilvusIndex.upsert(passages, vectors).")

    def delete(self, keys: Sequence[int]) -> None:
        self.index.delete(keys)

    def commit(self) -> None:
        self.index.commit()

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Scored]:
        return self.index.search_text(query, k, filters)

    def count(self) -> int:
        return self.index.count()


def indexed_text(passage: IndexedPassage) -> str:
    """What BM25 indexes: title and text, cut at a character boundary to MAX_TEXT_BYTES."""
    text = f"{passage.title}\n{passage.text}" if passage.title else passage.text
    raw = text.encode()
    if len(raw) <= MAX_TEXT_BYTES:
        return text
    return raw[:MAX_TEXT_BYTES].decode(errors="ignore")


def _hit_key(hit: Any) -> int:
    """The primary key of a search hit (pymilvus 2.5+ names it by field, 2.4 as ``id``)."""
    key = hit.get("key")
    if key is None:
        key = hit.get("entity", {}).get("key", hit.get("id"))
    return int(key)
