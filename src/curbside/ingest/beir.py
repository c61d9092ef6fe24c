"""BEIR benchmark collections: ``corpus.jsonl``, ``queries.jsonl`` and ``qrels/<split>.tsv``.

A corpus line is ``{"_id", "title", "text", "metadata": {"url"}}``; each becomes one research
source ``beir:<collection>:<_id>`` where the collection is the name of the corpus's directory
(``…/nfcorpus/corpus.jsonl`` → ``nfcorpus``). The title is the heading of the text, so every
passage of a long abstract carries it into both indexes. A bad line is reported and the rest of
the file loads. The query and judgement helpers serve the retrieval evaluation.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from curbside.domain import Audience, Identifiers, Section, Source, SourceDocument, SourceKind
from curbside.errors import InputError, SourceFormatError
from curbside.ingest.base import IngestProblem
from curbside.text import normalize_space

CORPUS_FILE = "corpus.jsonl"
QUERIES_FILE = "queries.jsonl"
_PMID_URL = re.compile(r"ncbi\.nlm\.nih\.gov/pubmed/(\d+)|pubmed\.ncbi\.nlm\.nih\.gov/(\d+)")

#: Licence notes of the BEIR collections curbside is benchmarked on (none is redistributable).
KNOWN_LICENSES = {
    "nfcorpus": "Academic use only (NFCorpus; NutritionFacts.org terms of use)",
    "scifact": "CC BY-NC 2.0 (SciFact)",
}
ATTRIBUTION = ("BEIR benchmark (Thakur et al., NeurIPS 2021 Datasets and Benchmarks), "
               "collection {name}")


def source_id(collection: str, doc_id: str) -> str:
    """The curbside source id of BEIR document ``doc_id`` in ``collection``."""
    return f"beir:{collection}:{doc_id}"


def doc_id_of(source: str, collection: str) -> str | None:
    """Inverse of :func:`source_id`; None for a source of another collection."""
    prefix = f"beir:{collection}:"
    return source[len(prefix):] if source.startswith(prefix) else None


def _looks_like_corpus_line(line: str) -> bool:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return False
    return isinstance(record, dict) and "_id" in record and "title" in record and "text" in record


class BEIRAdapter:
    """Reads a BEIR ``corpus.jsonl`` (by name, or any ``.jsonl`` whose first line is a BEIR doc)."""

    name = "beir"

    def can_read(self, path: Path) -> bool:
        if path.name.lower() == CORPUS_FILE:
            return True
        if path.suffix.lower() != ".jsonl":
            return False
        try:
            with path.open("rb") as fh:
                first = fh.readline(1 << 20).decode("utf-8", "ignore")
        except OSError:
            return False
        return _looks_like_corpus_line(first)

    def read(self, path: Path) -> Iterator[SourceDocument | IngestProblem]:
        collection = path.resolve().parent.name
        try:
            fh = path.open(encoding="utf-8")
        except OSError as exc:
            raise SourceFormatError(f"{path}: cannot open the BEIR corpus ({exc})") from exc
        with fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                origin = f"{path}:{number}"
                try:
                    yield self._document(json.loads(line), collection, origin)
                except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                    yield IngestProblem(origin, f"not a BEIR corpus record: {exc!r}")

    def _document(self, record: Any, collection: str, origin: str) -> SourceDocument:
        if not isinstance(record, dict):
            raise TypeError(f"expected a JSON object, got {type(record).__name__}")
        doc_id = str(record["_id"]).strip()
        if not doc_id:
            raise ValueError("empty _id")
        title = normalize_space(str(record.get("title") or ""))
        text = normalize_space(str(record.get("text") or ""))
        if not text and not title:
            raise ValueError("no title and no text")
        metadata = record.get("metadata") or {}
        url = str(metadata.get("url", "")) if isinstance(metadata, dict) else ""
        match = _PMID_URL.search(url)
        pmid = (match.group(1) or match.group(2)) if match else None
        section = Section(headings=[title], text=text) if title and text else Section(text=text or title)
        source = Source(
            id=source_id(collection, doc_id), kind=SourceKind.RESEARCH_ARTICLE,
            title=title or doc_id,
            publisher="PubMed" if pmid else "", url=url,
            identifiers=Identifiers(pmid=pmid, other={"beir": f"{collection}/{doc_id}"}),
            license=KNOWN_LICENSES.get(collection.lower(), ""),
            attribution=ATTRIBUTION.format(name=collection), audience=Audience.CLINICIAN,
            collection=f"beir:{collection}",
        )
        return SourceDocument(source=source, sections=[section], origin=origin)


def load_queries(directory: Path) -> dict[str, str]:
    """``queries.jsonl`` of a BEIR directory as ``{query id: text}``."""
    path = directory / QUERIES_FILE
    if not path.exists():
        raise InputError(f"{path} is missing: a BEIR directory holds corpus.jsonl, "
                         "queries.jsonl and qrels/<split>.tsv.")
    queries: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                queries[str(record["_id"])] = str(record["text"])
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{number}: not a BEIR query record ({exc!r}).") from exc
    return queries


def load_qrels(directory: Path, split: str = "test") -> dict[str, dict[str, int]]:
    """``qrels/<split>.tsv`` as ``{query id: {doc id: relevance}}`` (header line optional)."""
    path = directory / "qrels" / f"{split}.tsv"
    if not path.exists():
        have = sorted(p.stem for p in (directory / "qrels").glob("*.tsv"))
        raise InputError(f"{path} is missing; splits here: {', '.join(have) or 'none'}.")
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for number, row in enumerate(csv.reader(fh, delimiter="\t"), start=1):
            if not row or (number == 1 and row[0] == "query-id"):
                continue
            try:
                query, doc, score = row[0], row[1], int(row[2])
            except (IndexError, ValueError) as exc:
                raise InputError(f"{path}:{number}: expected query-id, corpus-id, score.") from exc
            qrels.setdefault(query, {})[doc] = score
    return qrels
