"""Retracted articles in the knowledge base: which PubMed sources PubMed now marks as retracted.

PubMed gives a retracted article the publication type "Retracted Publication". The knowledge
base's PMIDs are checked 200 at a time (``(<pmid>[uid] OR …) AND retracted publication[pt]``)
through the same rate-limited E-utilities client as ``kb pull pubmed``; the caller decides whether
to remove what is found (``curbside kb retractions --remove``).
"""

from __future__ import annotations

from collections.abc import Iterable

from curbside.ingest.eutils import MAX_BATCH, EUtilsClient
from curbside.kb.store import KnowledgeStore


def pubmed_sources(store: KnowledgeStore) -> dict[str, str]:
    """PMID → source id, for every source that names a PMID (abstracts, PMC articles, live evidence)."""
    found: dict[str, str] = {}
    for source in store.iter_sources():
        pmid = source.identifiers.pmid or (source.id.removeprefix("pmid:") if source.id.startswith("pmid:") else "")
        if pmid.isdigit():
            found.setdefault(pmid, source.id)
    return found


def retracted_pmids(client: EUtilsClient, pmids: Iterable[str]) -> list[str]:
    """The PMIDs among ``pmids`` that PubMed marks as retracted publications."""
    ordered = sorted(set(pmids), key=int)
    out: list[str] = []
    for start in range(0, len(ordered), MAX_BATCH):
        batch = ordered[start : start + MAX_BATCH]
        term = "(" + " OR ".join(f"{p}[uid]" for p in batch) + ") AND retracted publication[pt]"
        out.extend(p for p in client.search(term, len(batch)).pmids if p in batch)
    return out
