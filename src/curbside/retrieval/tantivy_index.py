"""BM25 over passages with tantivy (an embedded Rust search library): the lexical retriever."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import tantivy

from curbside.domain import SearchFilters
from curbside.retrieval.base import IndexedPassage, Scored, audience_values

_ANALYZER = "en_curbside"
_QUERY_WORD = re.compile(r"[A-Za-z0-9]+")
_WRITER_HEAP = 128_000_000


def _analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stopword("english"))
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("key", stored=True, indexed=True, fast=True)
    builder.add_text_field("title", tokenizer_name=_ANALYZER, index_option="freq")
    builder.add_text_field("body", tokenizer_name=_ANALYZER, index_option="freq")
    builder.add_text_field("kind", tokenizer_name="raw")
    builder.add_text_field("audience", tokenizer_name="raw")
    builder.add_text_field("collection", tokenizer_name="raw")
    builder.add_integer_field("year", indexed=True, fast=True)
    return builder.build()


class TantivyIndex:
    """A tantivy index in a directory (or in memory when ``path`` is None)."""

    name = "tantivy-bm25"

    def __init__(self, path: Path | None) -> None:
        self._schema = _schema()
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
            self._index = tantivy.Index(self._schema, path=str(path), reuse=True)
        else:
            self._index = tantivy.Index(self._schema)
        self._index.register_tokenizer(_ANALYZER, _analyzer())
        self._writer: tantivy.IndexWriter | None = None

    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self._index.writer(heap_size=_WRITER_HEAP, num_threads=1)
        return self._writer

    def upsert(self, passages: Sequence[IndexedPassage]) -> None:
        writer = self._get_writer()
        for p in passages:
            writer.delete_documents_by_term("key", p.key)
            doc = tantivy.Document(title=p.title, body=p.text, kind=p.kind,
                                   audience=p.audience, collection=p.collection)
            doc.add_integer("key", p.key)
            if p.year is not None:
                doc.add_integer("year", p.year)
            writer.add_document(doc)

    def delete(self, keys: Sequence[int]) -> None:
        writer = self._get_writer()
        for key in keys:
            writer.delete_documents_by_term("key", key)

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
        self._index.reload()

    def count(self) -> int:
        return int(self._index.searcher().num_docs)

    def _filter_query(self, filters: SearchFilters) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        schema = self._schema

        def any_of(field: str, values: Sequence[str]) -> None:
            if values:
                clauses.append((tantivy.Occur.Must, tantivy.Query.term_set_query(schema, field, list(values))))

        any_of("kind", [k.value for k in filters.kinds])
        any_of("audience", audience_values(filters))
        any_of("collection", filters.collections)
        if filters.year_min is not None or filters.year_max is not None:
            clauses.append((tantivy.Occur.Must, tantivy.Query.range_query(
                schema, "year", tantivy.FieldType.Integer, filters.year_min, filters.year_max)))
        return clauses

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Scored]:
        terms = [t.lower() for t in _QUERY_WORD.findall(query)]
        if not terms or k <= 0:
            return []
        text_query = self._index.parse_query(" ".join(terms), ["title", "body"], field_boosts={"title": 0.5, "body": 1.0})
        if filters is not None and not filters.is_empty():
            clauses = [(tantivy.Occur.Must, text_query), *self._filter_query(filters)]
            text_query = tantivy.Query.boolean_query(clauses)
        searcher = self._index.searcher()
        hits = searcher.search(text_query, limit=k, count=False).hits
        # Keys come from the fast-field column: no stored document is read.
        keys = searcher.fast_field_values("key", [address for _, address in hits])
        return [Scored(int(key), float(score))
                for (score, _), key in zip(hits, keys, strict=True) if key is not None]
