"""Locust users for bench/load.py (run from a second process, on loopback only).

Readers use locust's FastHttpUser (geventhttpclient): the load generator shares the machine,
and the slower requests-based client saturated its core first.

- ``Reader``: GET one article page, no think time (a closed loop: the worst case for latency).
- ``ThinkingReader``: the same with 1–2 s between pages (readers read).
- ``Revalidator``: GET with the page's ETag, as a browser or proxy revalidates (expects 304).
- ``Asker``: POST /api/v1/ask/stream with a new question each time; records "ask: first event"
  (time to the first SSE message) and "ask: article" (time to the ``done`` event) as their own
  request types; a 429 is counted as such (with its Retry-After) and is not a failure.

The article path comes from CURBSIDE_BENCH_ARTICLE, the questions from CURBSIDE_BENCH_QUESTIONS
(one per line, cycled).
"""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

from locust import FastHttpUser, HttpUser, between, constant, events, task

ARTICLE = os.environ.get("CURBSIDE_BENCH_ARTICLE", "/")
_QUESTIONS = [q for q in Path(os.environ.get("CURBSIDE_BENCH_QUESTIONS", "/dev/null"))
              .read_text(encoding="utf-8").splitlines() if q.strip()] or ["What are gallstones?"]
_NEXT = itertools.count()


def _fire(name: str, started: float, length: int = 0, exception: Exception | None = None) -> None:
    events.request.fire(request_type="SSE", name=name,
                        response_time=(time.perf_counter() - started) * 1000,
                        response_length=length, exception=exception, context={})


class Reader(FastHttpUser):
    wait_time = constant(0)

    @task
    def page(self) -> None:
        self.client.get(ARTICLE, name="article page")


class ThinkingReader(FastHttpUser):
    wait_time = between(1, 2)

    @task
    def page(self) -> None:
        self.client.get(ARTICLE, name="article page (1-2 s think)")


class Revalidator(FastHttpUser):
    wait_time = constant(0)
    etag = ""

    def on_start(self) -> None:
        self.etag = self.client.get(ARTICLE, name="first load").headers.get("etag", "")

    @task
    def revalidate(self) -> None:
        with self.client.get(ARTICLE, headers={"If-None-Match": self.etag},
                             name="revalidate (304)", catch_response=True) as response:
            if response.status_code == 304:
                response.success()
            else:
                response.failure(f"expected 304, got {response.status_code}")


class Asker(HttpUser):
    wait_time = constant(0)

    @task
    def ask(self) -> None:
        question = f"{_QUESTIONS[next(_NEXT) % len(_QUESTIONS)]}"
        started = time.perf_counter()
        with self.client.post("/api/v1/ask/stream", json={"question": question}, stream=True,
                              name="ask (request)", catch_response=True) as response:
            if response.status_code == 429:
                retry = response.headers.get("Retry-After", "")
                if not retry.isdigit() or int(retry) < 1:
                    response.failure(f"429 without a valid Retry-After ({retry!r})")
                    return
                response.success()
                events.request.fire(request_type="429", name="rate limited, with Retry-After",
                                    response_time=0, response_length=0, exception=None, context={})
                time.sleep(min(int(retry), 5))
                return
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return
            first = True
            event = ""
            for line in response.iter_lines(decode_unicode=True):
                if first and line:
                    _fire("ask: first event", started)
                    first = False
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event in ("done", "error"):
                    if event == "done":
                        _fire("ask: article", started)
                        response.success()
                    else:
                        _fire("ask: article", started, exception=RuntimeError(line[6:200]))
                        response.failure(line[6:200])
                    return
            response.failure("stream ended without done")
