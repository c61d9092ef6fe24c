"""The retrieval test corpus: 20 real MedQuAD passages with synthetic filter labels.

See tests/fixtures/retrieval/README.md for where the text comes from. ``matches`` is the
reference meaning of :class:`SearchFilters` that every backend must agree with.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from curbside.domain import Audience, SearchFilters, Section, Source, SourceDocument, SourceKind
from curbside.retrieval.base import IndexedPassage
from curbside.retrieval.embedder import Embedder

FIXTURE = Path(__file__).parents[1] / "fixtures" / "retrieval" / "passages.json"


@dataclass(frozen=True)
class CorpusPassage:
    key: int
    focus: str
    text: str
    url: str
    kind: str
    audience: str
    collection: str
    year: int | None


@cache
def _data() -> dict[str, list[dict[str, object]]]:
    data: dict[str, list[dict[str, object]]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


def passages() -> list[CorpusPassage]:
    fields = CorpusPassage.__dataclass_fields__
    return [CorpusPassage(**{k: v for k, v in row.items() if k in fields})  # type: ignore[arg-type]
            for row in _data()["passages"]]


def by_focus(focus: str) -> CorpusPassage:
    return next(p for p in passages() if p.focus == focus)


def revision(key: int) -> str:
    """The later passage of the same MedQuAD answer, used as a changed version of a source."""
    return str(next(r["text"] for r in _data()["revisions"] if r["key"] == key))


def indexed(p: CorpusPassage) -> IndexedPassage:
    """As an index sees it; every title holds 'MedQuAD', so the query 'MedQuAD' matches all."""
    return IndexedPassage(key=p.key, text=p.text, title=f"MedQuAD: {p.focus}", kind=p.kind,
                          audience=p.audience, collection=p.collection, year=p.year)


def source_id(p: CorpusPassage) -> str:
    return f"medquad-test:{p.key}"


def document(p: CorpusPassage, text: str | None = None) -> SourceDocument:
    """One knowledge-base source per passage."""
    source = Source(id=source_id(p), kind=SourceKind(p.kind), title=p.focus,
                    publisher="MedlinePlus", year=p.year, url=p.url, license="CC BY 4.0",
                    attribution="MedQuAD (Ben Abacha & Demner-Fushman 2019)",
                    audience=Audience(p.audience), collection=p.collection)
    return SourceDocument(source=source, sections=[Section(text=text or p.text)],
                          origin=f"passages.json#{p.key}")


def matches(p: CorpusPassage, filters: SearchFilters) -> bool:
    """Reference filter semantics: any-of per field, 'both' serves every audience, and a
    passage without a year fails any year bound."""
    if filters.kinds and p.kind not in {k.value for k in filters.kinds}:
        return False
    if filters.audiences and p.audience not in {a.value for a in filters.audiences} | {"both"}:
        return False
    if filters.collections and p.collection not in filters.collections:
        return False
    if filters.year_min is not None and (p.year is None or p.year < filters.year_min):
        return False
    return not (filters.year_max is not None and (p.year is None or p.year > filters.year_max))


#: Filter cases every backend must honour exactly (id → filters).
FILTER_CASES: dict[str, SearchFilters] = {
    "kind": SearchFilters(kinds=[SourceKind.GUIDELINE]),
    "kinds-any-of": SearchFilters(kinds=[SourceKind.GUIDELINE, SourceKind.TRIAL]),
    "audience-patient-plus-both": SearchFilters(audiences=[Audience.PATIENT]),
    "audience-clinician-plus-both": SearchFilters(audiences=[Audience.CLINICIAN]),
    "audience-both-only": SearchFilters(audiences=[Audience.BOTH]),
    "collection": SearchFilters(collections=["medquad-b"]),
    "collection-unknown": SearchFilters(collections=["no-such-collection"]),
    "collection-hostile": SearchFilters(collections=['medquad-a" or collection != "',
                                                     "x' or '1'='1"]),
    "year-min": SearchFilters(year_min=2012),
    "year-max": SearchFilters(year_max=2012),
    "year-range": SearchFilters(year_min=2010, year_max=2017),
    "combined": SearchFilters(kinds=[SourceKind.PATIENT_EDUCATION, SourceKind.RESEARCH_ARTICLE],
                              audiences=[Audience.PATIENT], collections=["medquad-a", "medquad-b"],
                              year_min=2008),
}


class CachingEmbedder:
    """The wrapped (real) embedder, remembering every text's vector: tests that search the same
    corpus many times pay for each text once."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self._cache: dict[str, npt.NDArray[np.float32]] = {}

    def embed(self, texts: Sequence[str], *, batch_size: int = 64) -> npt.NDArray[np.float32]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            vectors = self.inner.embed(missing, batch_size=batch_size)
            self._cache.update(zip(missing, vectors, strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts]).astype(np.float32)
