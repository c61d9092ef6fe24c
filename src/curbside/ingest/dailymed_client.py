"""DailyMed web services (v2): find a drug's labels by name and fetch their SPL XML.

``GET {base}/spls.json?drug_name=NAME&pagesize=N&page=P`` lists labels (set id, title, version,
published date); ``GET {base}/spls/{SETID}.xml`` returns the current version of one label as SPL
XML, read by :func:`curbside.ingest.dailymed.parse_spl`. Polite by construction: requests spaced
by ``dailymed.requests_per_second``, retries with exponential backoff on HTTP 429/5xx and network
errors (honouring ``Retry-After``). The HTTP client is injected (a real ``httpx.Client`` by
default), so tests serve recorded responses through ``httpx.MockTransport``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx

from curbside import __version__
from curbside.domain import SourceDocument
from curbside.errors import InputError, SourceFormatError, UpstreamError
from curbside.ingest.base import IngestProblem
from curbside.ingest.dailymed import parse_spl
from curbside.ingest.polite import PoliteClient, SpacedLimiter, snippet
from curbside.progress import SILENT, Progress
from curbside.settings import DailyMedSettings

MAX_PAGE = 100  # DailyMed's largest page size


@dataclass(frozen=True)
class LabelHit:
    set_id: str
    title: str
    version: str = ""
    published: str = ""


@dataclass(frozen=True)
class LabelSearch:
    total: int = 0
    labels: list[LabelHit] = field(default_factory=list)


class DailyMedClient(PoliteClient):
    """Label search and SPL download, rate-limited and retried."""

    def __init__(self, settings: DailyMedSettings, *, http: httpx.Client | None = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 backoff_s: float = 1.0, max_backoff_s: float = 30.0) -> None:
        self.settings = settings
        super().__init__(
            http=http, limiter=SpacedLimiter(1.0 / settings.requests_per_second, clock=clock, sleep=sleep),
            sleep=sleep, retries=settings.retries, backoff_s=backoff_s, max_backoff_s=max_backoff_s,
            make_http=lambda: httpx.Client(timeout=httpx.Timeout(60.0, connect=10.0), follow_redirects=True,
                                           headers={"User-Agent": f"curbside/{__version__}"}))

    def _get(self, path: str, params: dict[str, str] | None = None) -> httpx.Response | None:
        """One GET with retries; None for a 404 (no such label)."""
        url = f"{self.settings.base_url.rstrip('/')}/{path}"
        return self._send(lambda: self._http.get(url, params=params), label=f"DailyMed ({path})",
                          details={"path": path}, missing_ok=True)

    def search(self, name: str, max_results: int) -> LabelSearch:
        """Labels whose drug name matches ``name`` (DailyMed's order), at most ``max_results``."""
        name = name.strip()
        if not name:
            raise InputError("The drug name is empty.")
        if max_results < 1:
            raise InputError("--max must be at least 1.")
        labels: list[LabelHit] = []
        total = 0
        page = 1
        while len(labels) < max_results:
            size = min(MAX_PAGE, max_results - len(labels))
            response = self._get("spls.json", {"drug_name": name, "pagesize": str(size), "page": str(page)})
            if response is None:
                break
            try:
                payload = response.json()
                rows = payload["data"]
                meta = payload.get("metadata") or {}
            except (ValueError, KeyError, TypeError) as exc:
                raise UpstreamError(f"DailyMed spls.json returned an unexpected response{snippet(response)}") from exc
            total = int(meta.get("total_elements") or 0) if str(meta.get("total_elements", "")).isdigit() else total
            for row in rows:
                if isinstance(row, dict) and row.get("setid"):
                    labels.append(LabelHit(str(row["setid"]), str(row.get("title", "")),
                                           str(row.get("spl_version", "")), str(row.get("published_date", ""))))
            if not rows or not meta.get("next_page"):
                break
            page += 1
        return LabelSearch(total=total or len(labels), labels=labels[:max_results])

    def fetch_spl(self, set_id: str) -> bytes | None:
        """The current SPL XML of one label (None when DailyMed has no such set id)."""
        response = self._get(f"spls/{set_id}.xml")
        return response.content if response is not None else None

    def fetch_documents(self, labels: list[LabelHit], *,
                        progress: Progress = SILENT) -> Iterator[SourceDocument | IngestProblem]:
        progress.start("fetch", len(labels))
        for label in labels:
            origin = f"dailymed spls/{label.set_id}.xml"
            data = self.fetch_spl(label.set_id)
            if data is None:
                yield IngestProblem(origin, "not returned by DailyMed (label withdrawn or unknown set id)")
            else:
                try:
                    yield parse_spl(data, origin)
                except SourceFormatError as exc:
                    yield IngestProblem(origin, exc.message)
            progress.advance("fetch", 1)
