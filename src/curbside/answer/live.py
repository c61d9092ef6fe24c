"""Live PubMed evidence when the knowledge base does not cover a question (``pubmed.live``).

Off by default; a connected site turns it on (``CURBSIDE_PUBMED__LIVE=true``). When the
relevance check would abstain on what the knowledge base holds, the answer pipeline calls
:func:`augment`, which

1. builds PubMed queries from the question's subject (the finding, condition, drug or test), the
   body region it names, and the other names the knowledge base knows for that subject
   (:class:`curbside.kb.synonyms.TopicSynonyms`); PubMed's automatic term mapping adds MeSH terms
   ("soft tissue calcification" → Calcinosis);
2. tries them strongest evidence first — guidelines, systematic reviews, meta-analyses and reviews
   of the last ``pubmed.live_years`` years, then any design of those years, then reviews of any
   year, then anything; articles with an abstract only — and takes the first that finds articles;
3. fetches the top ``pubmed.live_max_articles`` abstracts, ingests them with their provenance
   (collection ``pubmed-live``, the search and its time in ``identifiers.other``), and retrieves
   again.

All of it within ``pubmed.live_timeout_s``: past it, or on any upstream failure, the pipeline
answers from what it has (usually an abstention) and says what was searched. :func:`annotate`
writes onto the answer that evidence was retrieved live, when, and with which search.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from curbside.answer.base import QuestionAnalysis
from curbside.answer.select.relevance import assess
from curbside.answer.understand.analysis import subject_of
from curbside.domain import Answer, Notice, SearchHit, SourceDocument
from curbside.errors import CurbsideError
from curbside.events import Stage
from curbside.ingest.base import IngestProblem
from curbside.ingest.eutils import EUtilsClient
from curbside.kb.service import KnowledgeBase
from curbside.kb.synonyms import TopicSynonyms
from curbside.settings import PubMedSettings, Settings
from curbside.text import words

COLLECTION = "pubmed-live"
EVIDENCE_FILTER = ("(guideline[pt] OR practice guideline[pt] OR systematic review[pt] OR meta-analysis[pt] "
                   "OR review[pt])")
_REGION_STOP = {"soft", "tissue", "tissues", "of", "the", "a", "an", "in", "on", "left", "right", "both", "area",
                "region", "skin"}
_MAX_SYNONYMS = 3

ClientFactory = Callable[[PubMedSettings, float], EUtilsClient]


def default_client(settings: PubMedSettings, timeout_s: float) -> EUtilsClient:
    """A client on a real HTTP connection to NCBI whose every request times out within the budget."""
    return EUtilsClient(settings, backoff_s=0.5, max_backoff_s=2.0, timeout_s=timeout_s)


#: Builds the E-utilities client for one live search (the seam for tests: recorded responses).
client_factory: ClientFactory = default_client


@dataclass
class LiveSearch:
    """What one live search did: the query that found articles (or the last one tried), when, what came in."""

    query: str
    searched_at: datetime
    tried: list[str] = field(default_factory=list)
    pmids: list[str] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def when(self) -> str:
        return self.searched_at.strftime("%Y-%m-%d %H:%M UTC")


def _phrase(text: str) -> str:
    return "(" + re.sub(r"[\[\]()\"]", " ", text).strip() + ")"


def subject_terms(analysis: QuestionAnalysis, synonyms: TopicSynonyms | None = None) -> tuple[list[str], str]:
    """The subject and its other names, and the body region the question names (may be empty)."""
    e = analysis.entities
    # The whole finding ("soft tissue calcification"), not its head word: PubMed maps the phrase.
    subject = e.finding or subject_of(e, analysis.topic) or analysis.topic or analysis.question
    names = [subject]
    if synonyms is not None:
        for name in synonyms.expansions(subject)[:_MAX_SYNONYMS]:
            if name.lower() not in (n.lower() for n in names):
                names.append(name)
    subject_words = set(words(subject))
    region_words = [w for w in words(e.anatomy) if w not in _REGION_STOP and w not in subject_words]
    return names, " ".join(region_words)


def build_queries(analysis: QuestionAnalysis, synonyms: TopicSynonyms | None = None, *, years: int = 10,
                  today: datetime | None = None) -> list[str]:
    """PubMed queries, strongest evidence and most recent first (see the module docstring)."""
    names, region = subject_terms(analysis, synonyms)
    core = "(" + " OR ".join(_phrase(n) for n in names) + ")"
    if region:
        core += f" AND {_phrase(region)}"
    start = (today or datetime.now(UTC)).year - years + 1
    recent = f'("{start}"[dp] : "3000"[dp])'
    tiers = [f"{core} AND {EVIDENCE_FILTER} AND {recent}", f"{core} AND {recent}", f"{core} AND {EVIDENCE_FILTER}", core]
    if region:  # the region may be too narrow: the subject alone, last
        tiers.append("(" + " OR ".join(_phrase(n) for n in names) + ")")
    return [f"{q} AND hasabstract" for q in tiers]


def search_and_ingest(settings: Settings, kb: KnowledgeBase, analysis: QuestionAnalysis, *,
                      factory: ClientFactory | None = None,
                      synonyms: TopicSynonyms | None = None,
                      clock: Callable[[], float] = time.monotonic) -> LiveSearch:
    """Search PubMed for the question and ingest the top abstracts, within the time budget."""
    budget = settings.pubmed.live_timeout_s
    deadline = clock() + budget
    queries = build_queries(analysis, synonyms, years=settings.pubmed.live_years)
    live = LiveSearch(query=queries[0], searched_at=datetime.now(UTC))
    pubmed = settings.pubmed.model_copy(update={"retries": min(settings.pubmed.retries, 1)})
    try:
        with (factory or client_factory)(pubmed, budget) as client:
            for query in queries:
                if clock() >= deadline:
                    live.error = f"the {budget:g} s time budget ran out"
                    return live
                live.query = query
                live.tried.append(query)
                found = client.search(query, settings.pubmed.live_max_articles)
                if found.pmids:
                    live.pmids = found.pmids
                    break
            if not live.pmids:
                return live
            if clock() >= deadline:
                live.error = f"the {budget:g} s time budget ran out"
                return live
            items = [_mark(item, live) for item in client.fetch_documents(live.pmids)]
    except (CurbsideError, httpx.HTTPError) as exc:
        live.error = getattr(exc, "message", "") or f"{type(exc).__name__}: {exc}"
        return live
    documents = [item for item in items if isinstance(item, SourceDocument)]
    new = [d for d in documents if kb.store.source(d.source.id) is None]
    if new:
        kb.ingest(new)
    live.source_ids = [d.source.id for d in documents]
    return live


def _mark(item: SourceDocument | IngestProblem, live: LiveSearch) -> SourceDocument | IngestProblem:
    if isinstance(item, IngestProblem):
        return item
    source = item.source
    other = {**source.identifiers.other, "retrieved_live": live.searched_at.isoformat(timespec="seconds"),
             "live_query": live.query}
    marked = source.model_copy(update={"collection": COLLECTION,
                                       "identifiers": source.identifiers.model_copy(update={"other": other})})
    return item.model_copy(update={"source": marked})


def augment(settings: Settings, kb: KnowledgeBase, analysis: QuestionAnalysis, hits: list[SearchHit],
            retrieve: Callable[[QuestionAnalysis], list[SearchHit]]) -> Generator[Stage, None,
                                                                         tuple[list[SearchHit], LiveSearch | None]]:
    """The answer pipeline's hook: live evidence when on and the knowledge base falls short."""
    if not settings.pubmed.live or not assess(analysis, hits, settings.answer.min_relevance).reason:
        return hits, None
    yield Stage("searching_pubmed")
    live = search_and_ingest(settings, kb, analysis, synonyms=TopicSynonyms.from_store(kb.store))
    if live.source_ids:
        hits = retrieve(analysis)
    return hits, live


def annotate(answer: Answer, live: LiveSearch | None) -> Answer:
    """Say on the answer that evidence was retrieved live (when, which search), or what was searched."""
    if live is None:
        return answer
    extra = {**answer.provenance.extra, "live_pubmed_query": live.query, "live_pubmed_at": live.searched_at.isoformat(
        timespec="seconds"), "live_pubmed_pmids": ",".join(live.pmids)}
    if live.error:
        extra["live_pubmed_error"] = live.error
    update: dict[str, Any] = {"provenance": answer.provenance.model_copy(update={"extra": extra})}
    cited = {p.id.split("#", 1)[0] for ref in answer.references for p in ref.passages}
    if answer.abstained:
        outcome = (f"the search failed ({live.error})" if live.error else
                   f"{len(live.pmids)} articles were found but none answers it" if live.pmids else "no articles found")
        update["abstain_reason"] = (f"{answer.abstain_reason} Also searched PubMed live on {live.when} for "
                                    f"“{live.query}”: {outcome}.").strip()
    elif cited & set(live.source_ids):
        text = (f"Evidence retrieved live from PubMed on {live.when} (search: “{live.query}”). These abstracts "
                "were not in this site's knowledge base and have not been reviewed by its editors.")
        update["notices"] = [*answer.notices, Notice(kind="live_evidence", text=text)]
    return answer.model_copy(update=update)
