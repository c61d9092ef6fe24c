"""Real evidence for the LLM composer and verification tests (fixtures prefixed ``llm_``)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from curbside.answer.base import Evidence
from curbside.domain import Passage, SearchHit, Source, SourceDocument
from curbside.ingest.chunking import Chunker
from curbside.ingest.medquad import MedQuADAdapter
from curbside.ingest.pubmedqa import PubMedQAAdapter
from curbside.settings import ChunkingSettings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "answer"
FILES = ("llm_medquad_nhlbi_anemia.xml", "llm_medquad_mplus_anemia.xml", "llm_pubmedqa_anemia.json")


def documents() -> list[SourceDocument]:
    """The fixture documents, read by curbside's own adapters."""
    out: list[SourceDocument] = []
    for name in FILES:
        path = FIXTURES / name
        adapter = MedQuADAdapter() if path.suffix == ".xml" else PubMedQAAdapter()
        out.extend(d for d in adapter.read(path) if isinstance(d, SourceDocument))
    return out


@cache
def _passages() -> dict[str, tuple[Passage, Source]]:
    chunker = Chunker.from_settings(ChunkingSettings())
    return {p.id: (p, doc.source) for doc in documents() for p in chunker.chunk(doc)}


def passage_text(passage_id: str) -> str:
    return _passages()[passage_id][0].text


def evidence(passage_ids: Sequence[str]) -> list[Evidence]:
    """Evidence numbered 1… in the order given, as retrieval would offer it."""
    table = _passages()
    out: list[Evidence] = []
    for rank, pid in enumerate(passage_ids, start=1):
        passage, source = table[pid]
        hit = SearchHit(passage=passage, source=source, score=1.0 / (60 + rank), rank=rank)
        out.append(Evidence(number=rank, hit=hit))
    return out


WHAT_IS = "medquad:NHLBI:0000002#0"
CAUSES = "medquad:NHLBI:0000002#3"
SYMPTOMS = "medquad:NHLBI:0000002#10"
MPLUS = "medquad:MPlusHealthTopics:0000034#0"
RESULTS = "pmid:21276532#2"
DESIGN = "pmid:21276532#1"
