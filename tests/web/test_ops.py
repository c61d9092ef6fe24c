"""/healthz, /readyz, /metrics, request ids and structured logs, on the real app (real SQLite,
tantivy, usearch and the packaged model)."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from curbside import metrics
from curbside.kb.service import KnowledgeBase
from curbside.logs import JsonFormatter, configure_json_logging
from curbside.settings import Settings


def test_healthz_and_readyz_when_everything_is_in_place(client: TestClient) -> None:
    health = client.get("/healthz")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["ready"] is True
    assert set(body["checks"]) == {"database", "indexes", "model"}
    assert body["checks"]["database"]["detail"] == "sqlite"
    assert "minilm" in body["checks"]["model"]["detail"].lower()
    assert ready.headers["cache-control"] == "no-store"


def test_readyz_is_503_when_an_index_is_behind_the_database(client: TestClient,
                                                            web_settings: Settings) -> None:
    kb = KnowledgeBase(web_settings)
    state = kb.store.index_state(kb.dense_name)
    kb.store.save_index_state(state.__class__(state.name, 0, state.tombstone_watermark,
                                              state.built_with))
    ready = client.get("/readyz")
    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert checks["indexes"]["ok"] is False and kb.dense_name in checks["indexes"]["detail"]
    assert checks["database"]["ok"] is True


def test_metrics_count_requests_by_route_template_and_answers(client: TestClient) -> None:
    assert client.get("/a/no-such-article").status_code == 404
    answer = client.post("/api/v1/ask", json={"question": "What are gallstones?"})
    assert answer.status_code == 200, answer.text
    declined = client.post("/api/v1/ask", json={"question": "How do I tune a violin?"})
    assert declined.status_code == 200, declined.text
    text = client.get("/metrics").text
    assert 'curbside_request_seconds_count{method="GET",route="/a/{slug}",status="404"}' in text
    assert "no-such-article" not in text  # raw paths never become labels
    assert 'curbside_ask_seconds_count{composer="sections"}' in text  # a page's subject, asked what it is: the typed composer
    assert 'curbside_request_seconds_count{method="POST",route="/api/v1/ask",status="200"}' in text
    assert "curbside_llm_fallbacks_total" in text
    abstained = next(line for line in text.splitlines()
                     if line.startswith("curbside_abstentions_total "))
    assert float(abstained.split()[1]) >= 1.0
    client.get("/readyz")
    assert "curbside_index_passages{" in client.get("/metrics").text


def _workers_up(exposition: str) -> float:
    return float(next(line for line in exposition.splitlines()
                      if line.startswith("curbside_workers_up ")).split()[1])


def test_a_worker_counts_itself_up_from_startup_to_shutdown(app: FastAPI) -> None:
    before = _workers_up(metrics.render()[0].decode())
    with TestClient(app) as client:  # startup: services built, model loaded
        assert _workers_up(client.get("/metrics").text) == before + 1
    assert _workers_up(metrics.render()[0].decode()) == before


def test_request_id_is_returned_and_in_the_log_line(client: TestClient,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="curbside.access"):
        given = client.get("/healthz", headers={"X-Request-ID": "edge-42.a"})
        made = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert given.headers["x-request-id"] == "edge-42.a"
    assert len(made.headers["x-request-id"]) == 32  # an unsafe id is replaced
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.message == "request"]
    first = next(line for line in lines if line["request_id"] == "edge-42.a")
    assert (first["route"], first["status"], first["method"]) == ("/healthz", 200, "GET")
    assert isinstance(first["ms"], float)


def test_json_logging_is_one_object_per_line() -> None:
    handler = configure_json_logging()
    assert configure_json_logging() is handler  # idempotent
    record = logging.LogRecord("curbside.x", logging.WARNING, __file__, 1, "hi %s", ("there",),
                               None)
    record.job = 7
    line = json.loads(handler.format(record))
    assert (line["message"], line["level"], line["job"]) == ("hi there", "warning", 7)
