"""Polite HTTP for pulling sources (PubMed E-utilities, DailyMed): what every puller shares.

Requests are spaced (:class:`SpacedLimiter`), retried with exponential backoff on HTTP 429/5xx
and network errors, honouring ``Retry-After``; any other refusal fails at once. The HTTP client
is injected (a real ``httpx.Client`` by default), so tests serve recorded responses through
``httpx.MockTransport``. A puller subclasses :class:`PoliteClient` and says what it calls its
service in errors.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

import httpx

from curbside.errors import UpstreamError
from curbside.times import parse_http_date

MAX_RETRY_AFTER_S = 300.0


class SpacedLimiter:
    """Spaces the starts of requests at least ``interval`` seconds apart (thread-safe)."""

    def __init__(self, interval: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next = float("-inf")
        self._lock = threading.Lock()

    def wait(self) -> float:
        """Block until the next request may start; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            delay = max(0.0, self._next - now)
            if delay:
                self._sleep(delay)
            self._next = now + delay + self.interval
            return delay


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        when = parse_http_date(value)
        if when is None:
            return None
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


def snippet(response: httpx.Response) -> str:
    """The start of a response body, for error messages (": …", or empty)."""
    text = " ".join(response.text[:300].split())
    return f": {text}" if text else ""


class PoliteClient:
    """Owns (or borrows) the HTTP client; sends with spacing, retries and backoff."""

    def __init__(self, *, http: httpx.Client | None, make_http: Callable[[], httpx.Client],
                 limiter: SpacedLimiter, sleep: Callable[[float], None], retries: int,
                 backoff_s: float, max_backoff_s: float) -> None:
        self.limiter = limiter
        self.retries = retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self._sleep = sleep
        self._owns_http = http is None
        self._http = http or make_http()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _send(self, send: Callable[[], httpx.Response], *, label: str, details: dict[str, object],
              missing_ok: bool = False, refused_hint: str = "", failed_hint: str = "") -> httpx.Response | None:
        """``send()`` until HTTP 200, retrying 429/5xx and network errors; None for a 404 when
        ``missing_ok``. ``label`` names the service and call in errors ("DailyMed (spls.json)")."""
        attempts = self.retries + 1
        last = ""
        for attempt in range(attempts):
            self.limiter.wait()
            wait: float | None = None
            try:
                response = send()
            except httpx.TransportError as exc:  # connection refused, DNS, timeouts …
                last = f"network error: {exc.__class__.__name__}"
            else:
                if response.status_code == 200:
                    return response
                if response.status_code == 404 and missing_ok:
                    return None
                last = f"HTTP {response.status_code}{snippet(response)}"
                if response.status_code != 429 and response.status_code < 500:
                    raise UpstreamError(f"{label} refused the request ({last}).{refused_hint}", retryable=False,
                                        details={**details, "status": response.status_code})
                wait = retry_after(response.headers.get("Retry-After"))
            if attempt + 1 < attempts:
                self._sleep(wait if wait is not None else min(self.backoff_s * 2**attempt, self.max_backoff_s))
        raise UpstreamError(f"{label} failed after {attempts} attempt(s) ({last}). Try again later{failed_hint}.",
                            details={**details, "attempts": attempts})
