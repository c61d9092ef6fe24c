"""NCBI E-utilities: search PubMed (ESearch) and fetch the articles (EFetch) as PubMed XML.

Polite by construction (the shared HTTP rules are in ``ingest/polite.py``): at most 3 requests a
second (10 with an API key), ``tool`` and ``email`` sent with every request, retries with
exponential backoff on HTTP 429/5xx and network errors (honouring ``Retry-After``), and PMIDs
fetched at most 200 per request. The HTTP client
is injected (a real ``httpx.Client`` with timeouts by default), so tests can serve recorded
responses through ``httpx.MockTransport``.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from curbside import __version__
from curbside.domain import SourceDocument
from curbside.errors import ConfigError, InputError, SourceFormatError, UpstreamError
from curbside.ingest.base import IngestProblem
from curbside.ingest.polite import PoliteClient, SpacedLimiter, snippet
from curbside.ingest.polite import retry_after as _retry_after  # noqa: F401  (kept importable here)
from curbside.ingest.pubmed import iter_records
from curbside.progress import SILENT, Progress
from curbside.settings import PubMedSettings

MAX_BATCH = 200  # PMIDs per EFetch request
MAX_RESULTS = 10_000  # ESearch returns at most this many PMIDs for a query
SORTS = ("relevance", "pub_date")


class NcbiSpacedLimiter(SpacedLimiter):
    """The spacing NCBI asks of our requests to it (outbound; the limits on our own clients are
    ``curbside.ratelimit``)."""

    @classmethod
    def for_settings(cls, settings: PubMedSettings, **kwargs: Any) -> NcbiSpacedLimiter:
        """NCBI's limit: 3 requests a second, 10 with an API key."""
        return cls(1.0 / (10 if settings.api_key.get_secret_value() else 3), **kwargs)


@dataclass(frozen=True)
class SearchResult:
    """What ESearch found: the total count and the first PMIDs."""

    count: int = 0
    pmids: list[str] = field(default_factory=list)
    query_translation: str = ""
    warnings: list[str] = field(default_factory=list)


class EUtilsClient(PoliteClient):
    """ESearch + EFetch for PubMed, rate-limited and retried."""

    def __init__(self, settings: PubMedSettings, *, http: httpx.Client | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, batch_size: int = MAX_BATCH,
                 backoff_s: float = 1.0, max_backoff_s: float = 30.0, timeout_s: float = 60.0) -> None:
        if not 1 <= batch_size <= MAX_BATCH:
            raise ConfigError(f"EFetch batch size must be 1 to {MAX_BATCH}, not {batch_size}.")
        self.settings = settings
        self.batch_size = batch_size
        super().__init__(
            http=http, limiter=NcbiSpacedLimiter.for_settings(settings, clock=clock, sleep=sleep), sleep=sleep,
            retries=settings.retries, backoff_s=backoff_s, max_backoff_s=max_backoff_s,
            make_http=lambda: httpx.Client(
                timeout=httpx.Timeout(timeout_s, connect=min(10.0, timeout_s)), follow_redirects=True,
                headers={"User-Agent": f"curbside/{__version__} ({settings.tool})"}))

    # --- HTTP -------------------------------------------------------------------------------

    def _common(self) -> dict[str, str]:
        params = {"tool": self.settings.tool}
        if self.settings.email:
            params["email"] = self.settings.email
        if self.settings.api_key.get_secret_value():
            params["api_key"] = self.settings.api_key.get_secret_value()
        return params

    def _request(self, method: str, endpoint: str, params: dict[str, str]) -> httpx.Response:
        """One call with retries; the API key never appears in an error message."""
        url = f"{self.settings.base_url.rstrip('/')}/{endpoint}"
        payload = {**params, **self._common()}

        def send() -> httpx.Response:
            if method == "POST":
                return self._http.post(url, data=payload)
            return self._http.get(url, params=payload)

        response = self._send(
            send, label=f"NCBI E-utilities ({endpoint})", details={"endpoint": endpoint},
            refused_hint=" Check the query and the pubmed settings (api_key, email).",
            failed_hint="; an API key (CURBSIDE_PUBMED__API_KEY) raises NCBI's rate limit")
        assert response is not None  # only a missing_ok call answers None
        return response

    # --- ESearch / EFetch -------------------------------------------------------------------

    def search(self, query: str, max_results: int, *, sort: str = "relevance") -> SearchResult:
        """The PMIDs of the first ``max_results`` articles matching ``query``."""
        query = query.strip()
        if not query:
            raise InputError("The PubMed query is empty.")
        if not 1 <= max_results <= MAX_RESULTS:
            raise InputError(f"--max must be between 1 and {MAX_RESULTS:,} (ESearch's limit).")
        if sort not in SORTS:
            raise InputError(f"Unknown sort {sort!r}; use one of {', '.join(SORTS)}.")
        response = self._request("GET", "esearch.fcgi", {
            "db": "pubmed", "term": query, "retmax": str(max_results), "retstart": "0",
            "retmode": "json", "sort": sort})
        try:
            result = response.json()["esearchresult"]
        except (ValueError, KeyError, TypeError) as exc:
            raise UpstreamError(
                f"NCBI ESearch returned an unexpected response{snippet(response)}",
                details={"endpoint": "esearch.fcgi"}) from exc
        if not isinstance(result, dict):
            raise UpstreamError("NCBI ESearch returned an unexpected response (no esearchresult).")
        if result.get("ERROR"):
            raise UpstreamError(f"NCBI ESearch reported an error: {result['ERROR']}",
                                details={"endpoint": "esearch.fcgi"})
        pmids = [str(p) for p in result.get("idlist", []) if str(p).isdigit()][:max_results]
        warnings: list[str] = []
        for key, values in (result.get("warninglist") or {}).items():
            if values:
                warnings.append(f"{key}: {', '.join(str(v) for v in values)}")
        count = str(result.get("count", "0"))
        return SearchResult(count=int(count) if count.isdigit() else len(pmids), pmids=pmids,
                            query_translation=str(result.get("querytranslation", "")),
                            warnings=warnings)

    def fetch_xml(self, pmids: Sequence[str]) -> bytes:
        """EFetch: the PubmedArticleSet XML of at most ``batch_size`` PMIDs (sent as a POST)."""
        if not pmids or len(pmids) > self.batch_size:
            raise InputError(f"EFetch takes 1 to {self.batch_size} PMIDs per request.")
        response = self._request("POST", "efetch.fcgi",
                                 {"db": "pubmed", "id": ",".join(pmids), "retmode": "xml"})
        head = response.content[:2000]
        if b"<PubmedArticleSet" not in head:
            raise UpstreamError(f"NCBI EFetch returned no PubmedArticleSet{snippet(response)}",
                                details={"endpoint": "efetch.fcgi"})
        return response.content

    def fetch_documents(self, pmids: Sequence[str], *,
                        progress: Progress = SILENT) -> Iterator[SourceDocument | IngestProblem]:
        """The articles of ``pmids``, fetched in batches; PMIDs NCBI did not return are problems."""
        progress.start("fetch", len(pmids))
        for start in range(0, len(pmids), self.batch_size):
            batch = list(pmids[start : start + self.batch_size])
            origin = f"efetch PMIDs {batch[0]}…{batch[-1]}"
            data = self.fetch_xml(batch)
            returned: set[str] = set()
            try:
                for pmid, item in iter_records(io.BytesIO(data), origin):
                    returned.add(pmid)
                    yield item
            except SourceFormatError as exc:
                raise UpstreamError(f"NCBI EFetch returned unreadable XML: {exc.message}",
                                    details={"endpoint": "efetch.fcgi"}) from exc
            for pmid in batch:
                if pmid not in returned:
                    yield IngestProblem(f"pmid:{pmid}",
                                        "not returned by EFetch (withdrawn or unknown PMID)")
            progress.advance("fetch", len(batch))
