"""Prometheus metrics (prometheus-client), declared once and shared by every layer.

With several worker processes (``curbside serve --workers N``) each process counts on its own;
``serve`` then points ``PROMETHEUS_MULTIPROC_DIR`` at an empty directory before the workers
start, prometheus-client writes each process's values there, and :func:`render` aggregates them
(gauges by sum, the documented ``livesum`` mode), so ``/metrics`` on any worker shows the whole
server. Without that variable (one process, tests) the default in-process registry is used.

Metric names carry the ``curbside_`` prefix; latencies are in seconds.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from curbside.domain import Answer

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_ASK_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 40.0, 60.0, 120.0)

REQUEST_SECONDS = Histogram(
    "curbside_request_seconds", "HTTP request latency by route template, method and status.",
    ["route", "method", "status"], buckets=_LATENCY_BUCKETS)
ASK_SECONDS = Histogram(
    "curbside_ask_seconds", "Time to compose one answer (retrieval to checked answer).",
    ["composer"], buckets=_ASK_BUCKETS)
ANSWERS = Counter("curbside_answers_total", "Answers composed, by composer used.", ["composer"])
FALLBACKS = Counter(
    "curbside_llm_fallbacks_total", "Answers where the LLM composer failed and the extractive "
    "composer answered instead.")
ABSTENTIONS = Counter(
    "curbside_abstentions_total", "Questions curbside declined to answer (evidence not good "
    "enough).")
QUEUE_DEPTH = Gauge(
    "curbside_generation_queue_depth", "Generation jobs waiting or running.", ["state"],
    multiprocess_mode="livemax")
INDEX_SIZE = Gauge(
    "curbside_index_passages", "Passages in each retrieval index (as last seen by /readyz or "
    "/metrics).", ["index"], multiprocess_mode="livemax")
RATE_LIMITED = Counter("curbside_rate_limited_total", "Requests refused with 429.", ["what"])
WORKERS_UP = Gauge(
    "curbside_workers_up", "Worker processes that have built their services (model loaded) and "
    "serve requests; each worker adds one when it starts and takes it off when it stops.",
    multiprocess_mode="livesum")


def record_answer(answer: Answer, seconds: float) -> None:
    """Count one composed answer: its latency, composer, fallback and abstention."""
    provenance = answer.provenance
    composer = provenance.composer or "unknown"
    ASK_SECONDS.labels(composer).observe(seconds)
    ANSWERS.labels(composer).inc()
    if provenance.fallback_reason:
        FALLBACKS.inc()
    if answer.abstained:
        ABSTENTIONS.inc()


def render() -> tuple[bytes, str]:
    """The exposition text and its content type (all workers when multiprocess is on)."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
