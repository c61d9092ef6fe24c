"""The knowledge-base store: sources, passages and embeddings in SQL (SQLite or PostgreSQL).

The store is the truth; the search indexes are derived from it and can always be rebuilt. Every
write of a source replaces its passages in one transaction, so a crash leaves either the old or
the new version, never half of one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from curbside.domain import Passage, Source, SourceDocument
from curbside.kb.tables import embeddings, index_state, passages, sources, tombstones
from curbside.retrieval.base import IndexedPassage
from curbside.retrieval.embedder import from_blobs, to_blob
from curbside.text import content_hash


def document_hash(document: SourceDocument, chunker_version: str) -> str:
    """Hash of everything that determines a source's stored form."""
    return content_hash(document.source.model_dump_json(), chunker_version,
                        *(json.dumps(s.headings) + "\x00" + s.text + ("\x00" + s.kind.value if s.kind else "")
                          for s in document.sections))


@dataclass(frozen=True)
class StoredPassage:
    pk: int
    passage: Passage


@dataclass(frozen=True)
class IndexState:
    name: str
    passage_watermark: int
    tombstone_watermark: int
    built_with: dict[str, str]


class KnowledgeStore:
    """SQL access for the knowledge base."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- writes -----------------------------------------------------------------------------

    def known_hashes(self, source_ids: Sequence[str]) -> dict[str, str]:
        """content_hash of each already stored source among ``source_ids``."""
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(source_ids), 500):
                chunk = list(source_ids[i : i + 500])
                rows = conn.execute(select(sources.c.id, sources.c.content_hash).where(sources.c.id.in_(chunk)))
                out.update({r.id: r.content_hash for r in rows})
        return out

    def write_documents(self, items: Sequence[tuple[SourceDocument, list[Passage], str]], chunker_version: str) -> int:
        """Insert or replace sources with their passages in one transaction; returns passages written."""
        written = 0
        with self.engine.begin() as conn:
            for document, doc_passages, digest in items:
                written += self._write_one(conn, document, doc_passages, digest, chunker_version)
        return written

    def _write_one(self, conn: Connection, document: SourceDocument, doc_passages: list[Passage],
                   digest: str, chunker_version: str) -> int:
        src = document.source
        old = [r.pk for r in conn.execute(select(passages.c.pk).where(passages.c.source_id == src.id))]
        if old:
            conn.execute(insert(tombstones), [{"passage_pk": pk} for pk in old])
            conn.execute(delete(embeddings).where(embeddings.c.passage_pk.in_(old)))
            conn.execute(delete(passages).where(passages.c.source_id == src.id))
        row = {
            "kind": src.kind.value, "title": src.title, "publisher": src.publisher, "year": src.year,
            "url": src.url, "collection": src.collection, "audience": src.audience.value,
            "evidence_level": src.evidence_level.value, "data": src.model_dump_json(),
            "content_hash": digest, "origin": document.origin, "updated_at": func.now(),
        }
        exists = conn.execute(select(sources.c.id).where(sources.c.id == src.id)).first()
        if exists:
            conn.execute(update(sources).where(sources.c.id == src.id).values(**row))
        else:
            conn.execute(insert(sources).values(id=src.id, **row))
        if doc_passages:
            conn.execute(insert(passages), [
                {"id": p.id, "source_id": p.source_id, "position": p.position,
                 "headings": json.dumps(p.headings), "text": p.text,
                 "section_type": p.section_type.value if p.section_type else None, "chunker": chunker_version}
                for p in doc_passages
            ])
        return len(doc_passages)

    def delete_source(self, source_id: str) -> int:
        """Remove a source and its passages (tombstoned for the indexes); returns passages removed."""
        with self.engine.begin() as conn:
            old = [r.pk for r in conn.execute(select(passages.c.pk).where(passages.c.source_id == source_id))]
            if old:
                conn.execute(insert(tombstones), [{"passage_pk": pk} for pk in old])
                conn.execute(delete(embeddings).where(embeddings.c.passage_pk.in_(old)))
            conn.execute(delete(passages).where(passages.c.source_id == source_id))
            conn.execute(delete(sources).where(sources.c.id == source_id))
        return len(old)

    # --- embeddings -----------------------------------------------------------------------------

    def passages_without_embedding(self, model: str, limit: int) -> list[StoredPassage]:
        """The oldest passages that have no vector for ``model`` yet."""
        joined = passages.outerjoin(embeddings, (embeddings.c.passage_pk == passages.c.pk) & (embeddings.c.model == model))
        query = (select(passages).select_from(joined).where(embeddings.c.passage_pk.is_(None))
                 .order_by(passages.c.pk).limit(limit))
        with self.engine.connect() as conn:
            return [_stored(r) for r in conn.execute(query)]

    def count_without_embedding(self, model: str) -> int:
        joined = passages.outerjoin(embeddings, (embeddings.c.passage_pk == passages.c.pk) & (embeddings.c.model == model))
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(joined).where(embeddings.c.passage_pk.is_(None))).scalar_one())

    def write_embeddings(self, model: str, pks: Sequence[int], vectors: npt.NDArray[np.float32]) -> None:
        rows = [{"passage_pk": pk, "model": model, "vector": to_blob(v)} for pk, v in zip(pks, vectors, strict=True)]
        with self.engine.begin() as conn:
            conn.execute(delete(embeddings).where(embeddings.c.model == model, embeddings.c.passage_pk.in_(list(pks))))
            if rows:
                conn.execute(insert(embeddings), rows)

    def vectors(self, model: str, pks: Sequence[int], dim: int) -> dict[int, npt.NDArray[np.float32]]:
        out: dict[int, npt.NDArray[np.float32]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(pks), 900):
                chunk = list(pks[i : i + 900])
                rows = conn.execute(select(embeddings.c.passage_pk, embeddings.c.vector)
                                    .where(embeddings.c.model == model, embeddings.c.passage_pk.in_(chunk))).all()
                if rows:
                    mat = from_blobs([r.vector for r in rows], dim)
                    out.update({r.passage_pk: mat[j] for j, r in enumerate(rows)})
        return out

    # --- index synchronisation ----------------------------------------------------------------

    def index_state(self, name: str) -> IndexState:
        with self.engine.connect() as conn:
            row = conn.execute(select(index_state).where(index_state.c.name == name)).first()
        if row is None:
            return IndexState(name, 0, 0, {})
        return IndexState(name, int(row.passage_watermark), int(row.tombstone_watermark), json.loads(row.built_with))

    def save_index_state(self, state: IndexState) -> None:
        values = {"passage_watermark": state.passage_watermark, "tombstone_watermark": state.tombstone_watermark,
                  "built_with": json.dumps(state.built_with, sort_keys=True)}
        with self.engine.begin() as conn:
            done = conn.execute(update(index_state).where(index_state.c.name == state.name).values(**values))
            if done.rowcount == 0:
                conn.execute(insert(index_state).values(name=state.name, **values))

    def indexed_passages_after(self, watermark: int, limit: int) -> list[IndexedPassage]:
        """Passages with pk > watermark, in pk order, with the metadata filters need."""
        query = (select(passages.c.pk, passages.c.headings, passages.c.text, sources.c.title, sources.c.kind,
                        sources.c.audience, sources.c.collection, sources.c.year)
                 .join(sources, sources.c.id == passages.c.source_id)
                 .where(passages.c.pk > watermark).order_by(passages.c.pk).limit(limit))
        with self.engine.connect() as conn:
            return [IndexedPassage(key=int(r.pk), text=_context(json.loads(r.headings), r.text), title=r.title,
                                   kind=r.kind, audience=r.audience, collection=r.collection, year=r.year)
                    for r in conn.execute(query)]

    def tombstones_after(self, watermark: int) -> list[tuple[int, int]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(tombstones.c.seq, tombstones.c.passage_pk)
                                .where(tombstones.c.seq > watermark).order_by(tombstones.c.seq))
            return [(int(r.seq), int(r.passage_pk)) for r in rows]

    def max_passage_pk(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.max(passages.c.pk), 0))).scalar_one())

    def passage_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(passages)).scalar_one())

    def max_tombstone_seq(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.max(tombstones.c.seq), 0))).scalar_one())

    # --- reads ------------------------------------------------------------------------------

    def passages_by_pk(self, pks: Sequence[int]) -> dict[int, tuple[Passage, Source]]:
        """Passages with their sources, keyed by integer key."""
        if not pks:
            return {}
        query = (select(passages, sources.c.data).join(sources, sources.c.id == passages.c.source_id)
                 .where(passages.c.pk.in_(list(pks))))
        out: dict[int, tuple[Passage, Source]] = {}
        with self.engine.connect() as conn:
            for r in conn.execute(query):
                out[int(r.pk)] = (_passage(r), Source.model_validate_json(r.data))
        return out

    def passages_by_id(self, ids: Sequence[str]) -> dict[str, tuple[int, Passage, Source]]:
        if not ids:
            return {}
        query = (select(passages, sources.c.data).join(sources, sources.c.id == passages.c.source_id)
                 .where(passages.c.id.in_(list(ids))))
        with self.engine.connect() as conn:
            return {r.id: (int(r.pk), _passage(r), Source.model_validate_json(r.data)) for r in conn.execute(query)}

    def source(self, source_id: str) -> Source | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(sources.c.data).where(sources.c.id == source_id)).first()
        return Source.model_validate_json(row.data) if row else None

    def source_passages(self, source_id: str) -> list[Passage]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(passages).where(passages.c.source_id == source_id).order_by(passages.c.position))
            return [_passage(r) for r in rows]

    def typed_passages(self, source_ids: Sequence[str], types: Sequence[str]) -> list[tuple[int, Passage, Source]]:
        """The passages of these sources whose section type is one of ``types``, in reading order."""
        if not source_ids or not types:
            return []
        query = (select(passages, sources.c.data).join(sources, sources.c.id == passages.c.source_id)
                 .where(passages.c.source_id.in_(list(source_ids)), passages.c.section_type.in_(list(types)))
                 .order_by(passages.c.source_id, passages.c.position))
        with self.engine.connect() as conn:
            return [(int(r.pk), _passage(r), Source.model_validate_json(r.data)) for r in conn.execute(query)]

    def section_types(self, source_ids: Sequence[str]) -> dict[str, set[str]]:
        """The section types each of these sources has (source id → types; untyped sections left out)."""
        if not source_ids:
            return {}
        query = (select(passages.c.source_id, passages.c.section_type).distinct()
                 .where(passages.c.source_id.in_(list(source_ids)), passages.c.section_type.is_not(None)))
        out: dict[str, set[str]] = {}
        with self.engine.connect() as conn:
            for r in conn.execute(query):
                if r.section_type:
                    out.setdefault(r.source_id, set()).add(r.section_type)
        return out

    def evidence_ranks(self, pks: Iterable[int]) -> dict[int, str]:
        query = (select(passages.c.pk, sources.c.evidence_level).join(sources, sources.c.id == passages.c.source_id)
                 .where(passages.c.pk.in_(list(pks))))
        with self.engine.connect() as conn:
            return {int(r.pk): r.evidence_level for r in conn.execute(query)}

    def stats(self) -> dict[str, object]:
        with self.engine.connect() as conn:
            n_sources = conn.execute(select(func.count()).select_from(sources)).scalar_one()
            n_passages = conn.execute(select(func.count()).select_from(passages)).scalar_one()
            by_kind: dict[str, int] = dict(conn.execute(select(sources.c.kind, func.count()).group_by(sources.c.kind)).all())
            by_collection: dict[str, int] = dict(conn.execute(select(sources.c.collection, func.count()).group_by(sources.c.collection)).all())
            by_model: dict[str, int] = dict(conn.execute(select(embeddings.c.model, func.count()).group_by(embeddings.c.model)).all())
            chunkers = [r[0] for r in conn.execute(select(passages.c.chunker).distinct())]
        return {"sources": n_sources, "passages": n_passages, "sources_by_kind": by_kind,
                "sources_by_collection": by_collection, "embeddings_by_model": by_model, "chunkers": chunkers}

    def iter_texts(self, batch: int = 5000) -> Iterator[str]:
        """Every passage's text (for the vocabulary of kb/spelling.py)."""
        with self.engine.connect() as conn:
            for r in conn.execution_options(yield_per=batch).execute(select(passages.c.text)):
                yield r.text

    def iter_source_texts(self, batch: int = 5000) -> Iterator[tuple[str, str]]:
        """Every passage's (source id, text) (for the repeated sentences of kb/boilerplate.py)."""
        with self.engine.connect() as conn:
            for r in conn.execution_options(yield_per=batch).execute(select(passages.c.source_id, passages.c.text)):
                yield r.source_id, r.text

    def iter_sources(self, batch: int = 1000) -> Iterator[Source]:
        with self.engine.connect() as conn:
            for r in conn.execution_options(yield_per=batch).execute(select(sources.c.data).order_by(sources.c.id)):
                yield Source.model_validate_json(r.data)


def _context(headings: list[str], text: str) -> str:
    return (" > ".join(headings) + ": " + text) if headings else text


def _passage(r: object) -> Passage:
    row = r  # a SQLAlchemy Row with passage columns
    return Passage(id=row.id, source_id=row.source_id, position=row.position,  # type: ignore[attr-defined]
                   headings=json.loads(row.headings), text=row.text,  # type: ignore[attr-defined]
                   section_type=row.section_type or None)  # type: ignore[attr-defined]


def _stored(r: object) -> StoredPassage:
    return StoredPassage(int(r.pk), _passage(r))  # type: ignore[attr-defined]
