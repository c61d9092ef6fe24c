"""A stand-in for DailyMed's web services: httpx.MockTransport serving the recorded fixtures."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx

FIXTURES = Path(__file__).parent.parent / "fixtures" / "dailymed"
LABELS = {"64b46398-9b97-45e8-b1ba-1a202d574448": FIXTURES / "dexamethasone_spl_excerpt.xml"}


@dataclass
class FakeDailyMed:
    """Records every request; ``failures`` are answered first, then the recorded responses."""

    failures: list[httpx.Response | Exception] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failures:
            failure = self.failures.pop(0)
            if isinstance(failure, Exception):
                raise failure
            return failure
        path = request.url.path
        if path.endswith("/spls.json"):
            return httpx.Response(200, content=(FIXTURES / "spls_dexamethasone.json").read_bytes(),
                                  headers={"Content-Type": "application/json"})
        if path.endswith(".xml") and "/spls/" in path:
            set_id = path.rsplit("/", 1)[-1].removesuffix(".xml")
            if set_id in LABELS:
                return httpx.Response(200, content=LABELS[set_id].read_bytes(), headers={"Content-Type": "text/xml"})
        return httpx.Response(404, text="Not Found")

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))
