"""NCBI E-utilities: search PubMed (ESearch) and fetch the articles (EFetch) as PubMed XML.

Polite by construction: at most 3 requests a second (10 with an API key), ``tool`` and
``email`` sent with every request, retries with exponential backoff on HTTP 429/5xx and network
errors (honouring ``Retry-After``), and PMIDs fetched at most 200 per request. The HTTP client
is injected (a real ``httpx.Client`` with timeouts by default), so tests can serve recorded
responses through ``httpx.MockTransport``.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any

import httpx

from curbside import __version__
from curbside.domain import SourceDocument
from curbside.errors import ConfigError, InputError, SourceFormatError, UpstreamError
from curbside.ingest.base import IngestProblem
from curbside.ingest.pubmed import iter_records
from curbside.progress import SILENT, Progress
from curbside.settings import PubMedSettings

MAX_BATCH = 200  # PMIDs per EFetch request
MAX_RESULTS = 10_000  # ESearch returns at most this many PMIDs for a query
MAX_RETRY_AFTER_S = 300.0
SORTS = ("relevance", "pub_date")


class RateLimiter:
    """Spaces the starts of requests at least ``interval`` seconds apart (thread-safe)."""

    def __init__(self, interval: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next = float("-inf")
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, settings: PubMedSettings, **kwargs: Any) -> RateLimiter:
        """NCBI's limit: 3 requests a second, 10 with an API key."""
        return cls(1.0 / (10 if settings.api_key.get_secret_value() else 3), **kwargs)

    def wait(self) -> float:
        """Block until the next request may start; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            delay = max(0.0, self._next - now)
            if delay:
                self._sleep(delay)
            self._next = now + delay + self.interval
            return delay


@dataclass(frozen=True)
class SearchResult:
    """What ESearch found: the total count and the first PMIDs."""

    count: int = 0
    pmids: list[str] = field(default_factory=list)
    query_translation: str = ""
    warnings: list[str] = field(default_factory=list)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


def _snippet(response: httpx.Response) -> str:
    text = " ".join(response.text[:300].split())
    return f": {text}" if text else ""


class EUtilsClient:
    """ESearch + EFetch for PubMed, rate-limited and retried."""

    def __init__(self, settings: PubMedSettings, *, http: httpx.Client | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, batch_size: int = MAX_BATCH,
                 backoff_s: float = 1.0, max_backoff_s: float = 30.0, timeout_s: float = 60.0) -> None:
        if not 1 <= batch_size <= MAX_BATCH:
            raise ConfigError(f"EFetch batch size must be 1 to {MAX_BATCH}, not {batch_size}.")
        self.settings = settings
        self.batch_size = batch_size
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self._sleep = sleep
        self.limiter = RateLimiter.for_settings(settings, clock=clock, sleep=sleep)
        self._owns_http = http is None
        self._http = http or httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=min(10.0, timeout_s)), follow_redirects=True,
            headers={"User-Agent": f"curbside/{__version__} ({settings.tool})"})

    # --- lifecycle --------------------------------------------------------------------------

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> EUtilsClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

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
        attempts = self.settings.retries + 1
        last = ""
        for attempt in range(attempts):
            self.limiter.wait()
            wait: float | None = None
            try:
                if method == "POST":
                    response = self._http.post(url, data=payload)
                else:
                    response = self._http.get(url, params=payload)
            except httpx.TransportError as exc:  # connection refused, DNS, timeouts …
                last = f"network error: {exc.__class__.__name__}"
            else:
                if response.status_code == 200:
                    return response
                last = f"HTTP {response.status_code}{_snippet(response)}"
                if response.status_code != 429 and response.status_code < 500:
                    raise UpstreamError(
                        f"NCBI E-utilities ({endpoint}) refused the request ({last}). Check the "
                        "query and the pubmed settings (api_key, email).", retryable=False,
                        details={"endpoint": endpoint, "status": response.status_code})
                wait = _retry_after(response.headers.get("Retry-After"))
            if attempt + 1 < attempts:
                backoff = min(self.backoff_s * 2**attempt, self.max_backoff_s)
                self._sleep(wait if wait is not None else backoff)
        raise UpstreamError(
            f"NCBI E-utilities ({endpoint}) failed after {attempts} attempt(s) ({last}). Try again "
            "later; an API key (CURBSIDE_PUBMED__API_KEY) raises NCBI's rate limit.",
            details={"endpoint": endpoint, "attempts": attempts})

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
                f"NCBI ESearch returned an unexpected response{_snippet(response)}",
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
            raise UpstreamError(f"NCBI EFetch returned no PubmedArticleSet{_snippet(response)}",
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
