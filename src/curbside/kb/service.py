"""The knowledge base: ingest documents, keep the indexes in step, and search them.

Ingest is idempotent and resumable in three stages, each of which may be interrupted and run
again:

1. *store*: each source's passages are written in one transaction, skipped when the content hash
   is unchanged;
2. *embed*: passages without a vector for the active model get one (committed per batch);
3. *index*: each index takes the passages above its watermark and the tombstones above its
   tombstone watermark; upserts are keyed by passage, so replaying a batch adds nothing twice.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt
from filelock import FileLock, Timeout

from curbside import __version__
from curbside.db import get_engine
from curbside.domain import EVIDENCE_RANK, EvidenceLevel, Passage, SearchFilters, SearchHit, SourceDocument
from curbside.domain import RetrieverScore as _RS
from curbside.errors import ConflictError, IndexUnavailableError, InputError
from curbside.ingest.base import IngestProblem
from curbside.ingest.chunking import Chunker
from curbside.ingest.injection import FlaggedSentence, flag_by_rules, flag_sentences
from curbside.kb.boilerplate import MIN_SOURCES as BOILERPLATE_SOURCES
from curbside.kb.boilerplate import Boilerplate
from curbside.kb.infotypes import type_sections
from curbside.kb.spelling import Spelling
from curbside.kb.store import IndexState, KnowledgeStore, document_hash
from curbside.kb.synonyms import Acronyms, FocusIndex, curated
from curbside.progress import SILENT, Progress
from curbside.retrieval.base import IndexedPassage, LexicalIndex, Scored, VectorIndex
from curbside.retrieval.embedder import Embedder, get_embedder
from curbside.retrieval.fusion import Fused, boost_by_evidence, reciprocal_rank_fusion
from curbside.retrieval.tantivy_index import TantivyIndex
from curbside.settings import Settings

_T = TypeVar("_T")

LEXICAL_VERSION = "tantivy-bm25-v2"
_WRITE_BATCH = 200
_INDEX_BATCH = 2000
MODES = ("hybrid", "bm25", "dense")
#: How long a writer waits for another process's index write before giving up.
INDEX_LOCK_TIMEOUT_S = 600.0


@dataclass
class IngestReport:
    documents_seen: int = 0
    documents_written: int = 0
    documents_unchanged: int = 0
    passages_written: int = 0
    problems: list[IngestProblem] = field(default_factory=list)
    #: Sentences that read as instructions (prompt injection): stored, never quoted (injection.py).
    flagged: list[FlaggedSentence] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"documents_seen": self.documents_seen, "documents_written": self.documents_written,
                "documents_unchanged": self.documents_unchanged, "passages_written": self.passages_written,
                "problems": [{"origin": p.origin, "message": p.message} for p in self.problems],
                "flagged": [{"passage_id": f.passage_id, "sentence": f.sentence, "rule": f.rule}
                            for f in self.flagged]}


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


EMBED_WINDOW = 256


def _with_provenance(document: SourceDocument, added_by: str) -> SourceDocument:
    """The document with who added it and when in its identifiers (shown on articles)."""
    source = document.source
    other = {**source.identifiers.other, "added_by": added_by,
             "added_at": datetime.now(UTC).strftime("%Y-%m-%d")}
    identifiers = source.identifiers.model_copy(update={"other": other})
    return document.model_copy(update={"source": source.model_copy(update={"identifiers": identifiers})})


class KnowledgeBase:
    """One knowledge base: the SQL store plus its lexical and vector indexes."""

    def __init__(self, settings: Settings, *, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.store = KnowledgeStore(get_engine(settings.resolved_database_url))
        self.chunker = Chunker.from_settings(settings.chunking)
        self._embedder = embedder
        self._lexical: LexicalIndex | None = None
        self._dense: VectorIndex | None = None
        self._generation = -1  # the index generation the open index objects were loaded at
        self._lock: FileLock | None = None
        # the file lock counts re-entries across threads (thread_local=False): this keeps other threads out
        self._threads = threading.RLock()
        self._writing = False  # inside write_lock(): an index may be started afresh
        #: Set by kb/health.py when the indexes could not be repaired: searches answer with it.
        self.unavailable: IndexUnavailableError | None = None
        #: What is read from the whole knowledge base (acronyms, vocabulary): name → (index generation, it).
        self._derived: dict[str, tuple[int, Any]] = {}

    # --- components -----------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.settings.embedding)
        return self._embedder

    @property
    def embedder_loaded(self) -> bool:
        """True once the embedding model is in memory (``serve`` loads it at start)."""
        return self._embedder is not None

    @property
    def index_root(self) -> Path:
        return self.settings.data_dir / "indexes"

    @property
    def milvus(self) -> bool:
        """True when Milvus holds both the BM25 and the dense index (one collection)."""
        cfg = self.settings.retrieval
        if cfg.backend != "milvus" or cfg.milvus_bm25 == "off":
            return False
        return cfg.milvus_bm25 == "on" or bool(cfg.milvus_uri and not cfg.milvus_uri.endswith(".db"))

    @property
    def lexical_name(self) -> str:
        if self.milvus:  # one collection, one watermark
            return self.dense_name
        return f"lexical-{LEXICAL_VERSION}"

    @property
    def dense_name(self) -> str:
        backend = self.settings.retrieval.backend
        suffix = f"-{_slug(self.settings.retrieval.milvus_collection)}" if backend == "milvus" else ""
        return f"dense-{backend}-{_slug(self.embedder.name)}{suffix}"

    @property
    def lexical(self) -> LexicalIndex:
        if self._lexical is None:
            if self.milvus:
                from curbside.retrieval.milvus_index import MilvusIndex, MilvusLexicalIndex

                dense = self.dense
                assert isinstance(dense, MilvusIndex)
                self._lexical = MilvusLexicalIndex(dense)
            else:
                self._lexical = TantivyIndex(self._prepare_dir(self.lexical_name))
        return self._lexical

    @property
    def dense(self) -> VectorIndex:
        if self._dense is None:
            path = self._prepare_dir(self.dense_name)
            if self.settings.retrieval.backend == "milvus":
                from curbside.retrieval.milvus_index import MilvusIndex

                self._dense = MilvusIndex.from_settings(self.settings, self.embedder.dim, path)
            else:
                from curbside.retrieval.usearch_index import UsearchIndex

                self._dense = UsearchIndex(path, self.embedder.dim)
        return self._dense

    # --- one writer at a time ------------------------------------------------------------------

    @property
    def _generation_file(self) -> Path:
        return self.index_root / "generation"

    def _disk_generation(self) -> int:
        try:
            return int(self._generation_file.read_text(encoding="utf-8").strip() or 0)
        except (OSError, ValueError):
            return 0

    def close_indexes(self) -> None:
        """Forget the open index objects: the next use reopens them from disk."""
        self._lexical = None
        self._dense = None
        self._generation = -1

    def _follow_other_writers(self) -> None:
        """Reopen the indexes when another process (the CLI, another worker) wrote them."""
        if self._generation != self._disk_generation():
            self.close_indexes()
            self._generation = self._disk_generation()

    def _per_generation(self, name: str, build: Callable[[], _T]) -> _T:
        """``build()``, kept until the indexes are written again (here or by another process: the
        index generation moved)."""
        self._follow_other_writers()
        held = self._derived.get(name)
        if held is None or held[0] != self._generation:
            held = (self._generation, build())
            self._derived[name] = held
        return cast(_T, held[1])

    def acronyms(self) -> Acronyms:
        """The topics' acronyms ("PID" → Pelvic Inflammatory Disease)."""
        def build() -> Acronyms:
            sources = list(self.store.iter_sources())
            first = [f"{s.id}#0" for s in sources if curated(s.id)]
            openings = {source.id: passage.text for i in range(0, len(first), 500)
                        for _pk, passage, source in self.store.passages_by_id(first[i:i + 500]).values()}
            return Acronyms(sources, openings)

        return self._per_generation("acronyms", build)

    def focus_index(self) -> FocusIndex:
        """Every name the knowledge base gives its subjects → the sources about it (kb/synonyms.py)."""
        return self._per_generation("focus", lambda: FocusIndex(self.store.iter_sources()))

    def boilerplate(self) -> Boilerplate:
        """The sentences many sources print (kb/boilerplate.py), read once per index generation."""
        def build() -> Boilerplate:
            # kept on disk beside the indexes, for the next process, until a passage is added or removed
            stamp = [self.store.max_passage_pk(), self.store.passage_count(), self.store.max_tombstone_seq(),
                     BOILERPLATE_SOURCES, 2]  # 2: the file's format
            path = self.index_root / "boilerplate.json"
            try:
                held = json.loads(path.read_text(encoding="utf-8"))
                if held["stamp"] == stamp:
                    return Boilerplate(held["sentences"], held["everywhere"])
            except (OSError, ValueError, KeyError, TypeError):
                pass
            read = Boilerplate.reading(self.store.iter_source_texts())
            try:
                self.index_root.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps({"stamp": stamp, "sentences": sorted(read.keys),
                                           "everywhere": sorted(read.everywhere)}), encoding="utf-8")
                tmp.replace(path)
            except OSError:  # a read-only data directory: read again next time
                pass
            return read

        return self._per_generation("boilerplate", build)

    def spelling(self) -> Spelling:
        """The knowledge base's vocabulary, to read a misspelled medicine or condition as the sources
        spell it ("Allopurinal" → allopurinol). The passages are read only when a question first has a
        word the dictionary does not know (kb/spelling.py), not on every ask."""
        def texts() -> Iterator[str]:
            return chain((source.title for source in self.store.iter_sources()), self.store.iter_texts())

        return self._per_generation("spelling", lambda: Spelling.reading(texts, names=self.focus_index))

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the index write lock (``indexes/write.lock``): one writer per index at a time,
        across processes; others wait for it (up to ``INDEX_LOCK_TIMEOUT_S``). Inside, the
        indexes are reopened if another process wrote them, so nobody saves a stale copy."""
        self.index_root.mkdir(parents=True, exist_ok=True)
        if self._lock is None:  # one lock object per knowledge base: re-entrant (rebuild → sync)
            self._lock = FileLock(str(self.index_root / "write.lock"), thread_local=False)
        lock = self._lock
        if not self._threads.acquire(timeout=INDEX_LOCK_TIMEOUT_S):
            raise ConflictError(f"Another thread has been writing the search indexes for over "
                                f"{INDEX_LOCK_TIMEOUT_S:.0f} s; try again when it is done.", retryable=True)
        try:
            lock.acquire(timeout=INDEX_LOCK_TIMEOUT_S)
        except Timeout as exc:
            self._threads.release()
            raise ConflictError(
                f"Another curbside process has been writing the search indexes for over "
                f"{INDEX_LOCK_TIMEOUT_S:.0f} s (lock {lock.lock_file}); try again when it is done.",
                retryable=True) from exc
        outer = self._writing
        try:
            self._writing = True
            self._follow_other_writers()
            yield
            generation = self._disk_generation() + 1
            tmp = self._generation_file.with_suffix(".tmp")
            tmp.write_text(str(generation), encoding="utf-8")
            tmp.replace(self._generation_file)
            self._generation = generation
        finally:
            self._writing = outer
            lock.release()
            self._threads.release()

    def index_present(self, name: str) -> bool:
        """Whether the index ``name`` has its folder (a manifest) on disk."""
        return (self.index_root / name / "manifest.json").exists()

    def _require_present(self) -> None:
        """Refuse to search an index whose folder vanished after it was built (deleted by hand,
        a lost volume): an empty result would read as "not covered". Two file checks per search;
        the database is asked only when a folder is missing."""
        for name in dict.fromkeys((self.lexical_name, self.dense_name)):
            if not self.index_present(name) and self.store.index_state(name).passage_watermark > 0:
                self.close_indexes()
                raise IndexUnavailableError(
                    f"The search index folder {self.index_root / name} is missing. Run "
                    "`curbside kb rebuild` (a running server rebuilds it by itself within seconds).",
                    details={"index": name})

    def _prepare_dir(self, name: str) -> Path:
        """The index directory; a missing directory resets the index's watermarks."""
        path = self.index_root / name
        manifest = path / "manifest.json"
        if not manifest.exists():
            if not self._writing:  # a reader never starts an index afresh over a lost one
                self._require_present()
            if path.exists():
                shutil.rmtree(path)
            path.mkdir(parents=True, exist_ok=True)
            self.store.save_index_state(IndexState(name, 0, 0, {}))
            manifest.write_text(json.dumps(self._built_with(name), indent=2, sort_keys=True))
        return path

    def _built_with(self, name: str) -> dict[str, str]:
        info = {"index": name, "chunker": self.chunker.version, "curbside": __version__}
        if name.startswith("dense-"):
            info["embedding_model"] = self.embedder.name
        return info

    # --- ingest ---------------------------------------------------------------------------

    def add_documents(self, items: Iterable[SourceDocument | IngestProblem], *, progress: Progress = SILENT,
                      total: int | None = None, added_by: str = "") -> IngestReport:
        """Stage 1: store new or changed documents (chunked), skip unchanged ones.

        ``added_by`` (who runs ``kb add``) is recorded with the date on locally added documents
        (collection ``local``) as their provenance; it does not change their content hash, so
        adding the same file again still adds nothing."""
        report = IngestReport()
        progress.start("store", total)
        batch: list[SourceDocument] = []

        def flush() -> None:
            known = self.store.known_hashes([d.source.id for d in batch])
            todo = []
            seen_ids: set[str] = set()
            for document in type_sections(batch, self.embedder):
                digest = document_hash(document, self.chunker.version)
                if known.get(document.source.id) == digest or document.source.id in seen_ids:
                    report.documents_unchanged += 1
                    continue
                seen_ids.add(document.source.id)
                if added_by and document.source.collection == "local":
                    document = _with_provenance(document, added_by)
                chunks = self.chunker.chunk(document)
                # a site's own files are read by the rules and the classifier; bulk collections by the
                # rules (answers are read by both before anything is shown: answer/service.py)
                read = flag_sentences if document.source.collection == "local" else flag_by_rules
                for passage in chunks:
                    report.flagged.extend(read(passage.id, passage.text))
                todo.append((document, chunks, digest))
            if todo:
                report.passages_written += self.store.write_documents(todo, self.chunker.version)
                report.documents_written += len(todo)
            progress.advance("store", len(batch))
            batch.clear()

        for item in items:
            if isinstance(item, IngestProblem):
                report.problems.append(item)
                progress.note(f"skipped {item.origin}: {item.message}")
                continue
            report.documents_seen += 1
            batch.append(item)
            if len(batch) >= _WRITE_BATCH:
                flush()
        if batch:
            flush()
        return report

    def add_prechunked(self, items: Sequence[tuple[SourceDocument, list[Passage]]], chunker_version: str) -> int:
        """Store documents whose passages were chunked elsewhere (a pack); unchanged ones are skipped."""
        known = self.store.known_hashes([d.source.id for d, _ in items])
        todo = []
        for document, passages in items:
            digest = document_hash(document, chunker_version)
            if known.get(document.source.id) != digest:
                todo.append((document, passages, digest))
        return self.store.write_documents(todo, chunker_version) if todo else 0

    def embed_pending(self, *, progress: Progress = SILENT) -> int:
        """Stage 2: embed every passage that has no vector for the active model."""
        model = self.embedder.name
        remaining = self.store.count_without_embedding(model)
        progress.start("embed", remaining)
        done = 0
        # Fetch a window much larger than a model batch: the embedder sorts it by length, so its
        # batches are padded little; each window is committed before the next (resumable).
        window = max(self.settings.embedding.batch_size * 4, EMBED_WINDOW)
        while True:
            pending = self.store.passages_without_embedding(model, window)
            if not pending:
                break
            vectors = self.embedder.embed([p.passage.context_text for p in pending],
                                          batch_size=self.settings.embedding.batch_size)
            self.store.write_embeddings(model, [p.pk for p in pending], vectors)
            done += len(pending)
            progress.advance("embed", len(pending))
        return done

    def sync_indexes(self, *, progress: Progress = SILENT) -> None:
        """Stage 3: bring both indexes up to the store's passages and tombstones (under the
        index write lock). On Milvus one collection holds both (text and vector in one row): it is
        synced once."""
        with self.write_lock():
            self._sync_indexes(progress)

    def _sync_indexes(self, progress: Progress) -> None:
        if not self.milvus:
            self._sync(self.lexical_name, progress, lambda batch: self.lexical.upsert(batch),
                       self.lexical.delete, self.lexical.commit)
        dim = self.embedder.dim
        model = self.embedder.name

        def upsert_dense(batch: Sequence[IndexedPassage]) -> None:
            vectors = self.store.vectors(model, [p.key for p in batch], dim)
            have = [p for p in batch if p.key in vectors]
            if have:
                self.dense.upsert(have, np.stack([vectors[p.key] for p in have]))

        self._sync(self.dense_name, progress, upsert_dense, self.dense.delete, self.dense.commit)

    def _sync(self, name: str, progress: Progress, upsert: Callable[[Sequence[IndexedPassage]], None],
              delete: Callable[[Sequence[int]], None], commit: Callable[[], None]) -> None:
        state = self.store.index_state(name)
        top = self.store.max_passage_pk()
        task = f"index {name.split('-')[0]}"
        progress.start(task, max(0, top - state.passage_watermark))
        watermark, tomb = state.passage_watermark, state.tombstone_watermark
        stones = self.store.tombstones_after(tomb)
        if stones:
            delete([pk for _, pk in stones])
            commit()
            tomb = stones[-1][0]
            self.store.save_index_state(IndexState(name, watermark, tomb, self._built_with(name)))
        while True:
            batch = self.store.indexed_passages_after(watermark, _INDEX_BATCH)
            if not batch:
                break
            upsert(batch)
            commit()
            advance = batch[-1].key - watermark
            watermark = batch[-1].key
            self.store.save_index_state(IndexState(name, watermark, tomb, self._built_with(name)))
            progress.advance(task, advance)

    def refresh(self, *, progress: Progress = SILENT) -> None:
        """Stages 2 and 3: what any interrupted ingest needs to finish."""
        self.embed_pending(progress=progress)
        self.sync_indexes(progress=progress)

    def ingest(self, items: Iterable[SourceDocument | IngestProblem], *, progress: Progress = SILENT,
               total: int | None = None, added_by: str = "") -> IngestReport:
        """All three stages."""
        report = self.add_documents(items, progress=progress, total=total, added_by=added_by)
        self.refresh(progress=progress)
        return report

    # --- search ---------------------------------------------------------------------------

    def search(self, query: str, *, k: int | None = None, filters: SearchFilters | None = None,
               mode: str = "hybrid", candidates: int | None = None) -> list[SearchHit]:
        """Hybrid (BM25 + dense, fused by RRF), or one retriever alone."""
        if mode not in MODES:
            raise InputError(f"Unknown search mode {mode!r}; use one of {', '.join(MODES)}.")
        cfg = self.settings.retrieval
        k = k or cfg.k
        n = max(candidates or cfg.candidates, k)
        query = query.strip()
        if not query:
            raise InputError("The query is empty.")
        if self.unavailable is not None:
            raise self.unavailable
        self._require_present()
        self._follow_other_writers()
        try:
            if mode == "hybrid" and self.milvus and cfg.milvus_fusion == "milvus":
                fused = self._fused_in_milvus(query, n, filters)
            else:
                rankings: dict[str, list[Scored]] = {}
                if mode in ("hybrid", "dense"):
                    vector = self._query_vector(query)
                if mode in ("hybrid", "bm25"):
                    rankings["bm25"] = self.lexical.search(query, n, filters)
                if mode in ("hybrid", "dense"):
                    rankings["dense"] = self.dense.search(vector, n, filters)
                fused = reciprocal_rank_fusion(rankings, k=cfg.rrf_k, weights={
                    "bm25": cfg.lexical_weight, "dense": cfg.dense_weight})
        except Exception as exc:  # a damaged index file: a clear 503, never a bare 500
            self.close_indexes()
            raise IndexUnavailableError(
                f"A search index cannot be read ({type(exc).__name__}: {exc}). Run "
                "`curbside kb rebuild` (or restart the server, which repairs the indexes from "
                "the database).") from exc
        if cfg.evidence_boost > 0 and fused:
            head = fused[: n * 2]
            levels = self.store.evidence_ranks([f.key for f in head])
            ranks = {key: EVIDENCE_RANK.get(EvidenceLevel(level), 8) for key, level in levels.items()}
            fused = boost_by_evidence(head, ranks, cfg.evidence_boost)
        top = fused[:k]
        rows = self.store.passages_by_pk([f.key for f in top])
        hits: list[SearchHit] = []
        for f in top:
            if f.key not in rows:  # deleted since the index was synced
                continue
            passage, source = rows[f.key]
            lexical = f.ranks.get("bm25")
            dense = f.ranks.get("dense")
            hits.append(SearchHit(
                passage=passage, source=source, score=f.score, rank=len(hits) + 1,
                lexical=_RS(rank=lexical[0], score=lexical[1]) if lexical else None,
                dense=_RS(rank=dense[0], score=dense[1]) if dense else None,
            ))
        return hits

    def _fused_in_milvus(self, query: str, n: int,
                         filters: SearchFilters | None) -> list[Fused]:
        """One Milvus hybrid_search (BM25 + dense, its RRFRanker). Each hit's dense score is its
        cosine with the query from the stored vector, ranked among these hits."""
        from curbside.retrieval.milvus_index import MilvusIndex

        index = self.dense
        assert isinstance(index, MilvusIndex)
        vector = self._query_vector(query)
        hits = index.hybrid_search(query, vector, n, filters, candidates=n,
                                   rrf_k=self.settings.retrieval.rrf_k)
        stored = self.store.vectors(self.embedder.name, [h.key for h in hits], self.embedder.dim)
        q = vector / (float(np.linalg.norm(vector)) or 1.0)
        cosines = {key: float(v @ q) / (float(np.linalg.norm(v)) or 1.0)
                   for key, v in stored.items()}
        order = sorted(cosines, key=lambda key: -cosines[key])
        dense_rank = {key: i + 1 for i, key in enumerate(order)}
        return [Fused(h.key, h.score, {"dense": (dense_rank[h.key], cosines[h.key])}
                      if h.key in cosines else {}) for h in hits]

    def _query_vector(self, query: str) -> npt.NDArray[np.float32]:
        """The query's embedding (the packaged embedder keeps the vectors of the texts it embedded lately:
        answers search the same query more than once)."""
        vector: npt.NDArray[np.float32] = self.embedder.embed([query])[0]
        return vector

    def stats(self) -> dict[str, object]:
        out = self.store.stats()
        out["indexes"] = {}
        for name in dict.fromkeys((self.lexical_name, self.dense_name)):
            state = self.store.index_state(name)
            out["indexes"][name] = {"passage_watermark": state.passage_watermark,  # type: ignore[index]
                                    "built_with": state.built_with}
        out["lexical_count"] = self.lexical.count()
        out["dense_count"] = self.dense.count()
        out["database"] = self.settings.resolved_database_url.split("@")[-1]
        out["embedding"] = {"model": self.embedder.name, "runtime": getattr(self.embedder, "runtime", "builtin")}
        return out

    def is_empty(self) -> bool:
        return self.store.max_passage_pk() == 0


def timed_search(kb: KnowledgeBase, query: str, **kwargs: object) -> tuple[list[SearchHit], float]:
    """Search and return the elapsed milliseconds too."""
    start = time.perf_counter()
    hits = kb.search(query, **kwargs)  # type: ignore[arg-type]
    return hits, (time.perf_counter() - start) * 1000
