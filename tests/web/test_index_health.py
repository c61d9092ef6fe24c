"""Indexes are derived; the database is the truth (issue 9, defects 5, 6 and 7).

Before the fixes: a truncated ``vectors.usearch``, a garbled tantivy ``meta.json`` or a deleted
segment made every ask a generic 500; after ``rm -rf indexes`` asks returned 200 with no
references; a CLI ``kb add`` while the server ran, then a write in the server, left the vector
index one passage short (the server saved its stale in-memory copy over the CLI's).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from curbside.cli.main import app as cli
from curbside.db import dispose_engines
from curbside.errors import IndexUnavailableError
from curbside.ingest.documents import DocumentsAdapter
from curbside.kb.health import inspect_indexes
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings
from tests.web.conftest import make_app

QUESTION = "What are gallstones?"
#: Synthetic, non-medical text (a made-up office notice).
NOTICE = """---
title: Quarterly notice about the bicycle shed
kind: patient_education
---
# Quarterly notice about the bicycle shed

The bicycle shed behind the east building is repainted in blue every spring by volunteers.
"""


def _lexical_dir(data: Path) -> Path:
    return next((data / "indexes").glob("lexical-*"))


def _dense_dir(data: Path) -> Path:
    return next((data / "indexes").glob("dense-*"))


def _truncate_vectors(data: Path) -> None:
    path = _dense_dir(data) / "vectors.usearch"
    path.write_bytes(path.read_bytes()[:100])


def _garble_meta(data: Path) -> None:
    (_lexical_dir(data) / "meta.json").write_text("{ not json", encoding="utf-8")


def _delete_segment(data: Path) -> None:
    victims = sorted(_lexical_dir(data).glob("*.store")) or sorted(_lexical_dir(data).glob("*.idx"))
    victims[0].unlink()


def _remove_indexes(data: Path) -> None:
    shutil.rmtree(data / "indexes")


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated-vectors": _truncate_vectors,
    "garbled-tantivy-meta": _garble_meta,
    "deleted-segment": _delete_segment,
    "deleted-index-folder": _remove_indexes,
}


def _asks_with_references(client: TestClient) -> None:
    response = client.post("/api/v1/ask", json={"question": QUESTION})
    assert response.status_code == 200, response.text
    assert response.json()["version"]["answer"]["references"], "never served from an empty index"


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_or_missing_indexes_are_rebuilt_at_start(
        web_data: Path, web_settings: Settings, damage: str) -> None:
    DAMAGE[damage](web_data)
    with TestClient(make_app(web_settings)) as client:
        _asks_with_references(client)
        kb = client.app.state.services.articles.kb  # type: ignore[attr-defined]
        assert all(r.ok for r in inspect_indexes(kb))


def test_an_index_damaged_while_serving_is_a_503_naming_the_repair(
        web_data: Path, web_settings: Settings) -> None:
    with TestClient(make_app(web_settings)) as client:
        kb = client.app.state.services.articles.kb  # type: ignore[attr-defined]
        _garble_meta(web_data)
        kb.close_indexes()  # as after another writer: the next search reopens the files
        response = client.post("/api/v1/ask", json={"question": "What causes gallstones?"})
        assert response.status_code == 503
        error = response.json()["error"]
        assert error["code"] == "index_unavailable" and error["retryable"] is True
        assert "curbside kb rebuild" in error["message"]


def test_kb_rebuild_repairs_from_the_database(web_data: Path, web_settings: Settings,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURBSIDE_DATA_DIR", str(web_data))
    _truncate_vectors(web_data)
    _delete_segment(web_data)
    result = CliRunner().invoke(cli, ["kb", "rebuild", "--json"])
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert [r["ok"] for r in reports] == [True, True] and reports[0]["expected"] > 0
    assert reports[0]["found"] == reports[1]["found"] == reports[0]["expected"]


def test_a_cli_ingest_while_the_server_runs_loses_nothing(
        web_settings: Settings, embedder: Embedder, tmp_path: Path) -> None:
    server = KnowledgeBase(web_settings, embedder=embedder)
    assert server.search(QUESTION, k=3)  # the server has its indexes open (and in memory)
    notice = tmp_path / "notice.md"
    notice.write_text(NOTICE, encoding="utf-8")
    cli_kb = KnowledgeBase(web_settings, embedder=embedder)  # `curbside kb add` in another process
    assert cli_kb.ingest(DocumentsAdapter().read(notice)).documents_written == 1
    second = tmp_path / "second.md"
    second.write_text(NOTICE.replace("bicycle shed", "tool shed").replace("blue", "green"),
                      encoding="utf-8")
    server.ingest(DocumentsAdapter().read(second))  # then the server writes (an approval)
    assert all(r.ok for r in inspect_indexes(server)), inspect_indexes(server)
    for kb in (server, KnowledgeBase(web_settings, embedder=embedder)):
        found = kb.search("bicycle shed repainted blue by volunteers", k=3, mode="dense")
        assert "bicycle shed" in found[0].passage.text
        found = kb.search("tool shed repainted green", k=3, mode="bm25")
        assert "tool shed" in found[0].passage.text


def test_a_second_writer_waits_for_the_lock(web_settings: Settings, embedder: Embedder) -> None:
    import threading

    first = KnowledgeBase(web_settings, embedder=embedder)
    second = KnowledgeBase(web_settings, embedder=embedder)
    order: list[str] = []
    with first.write_lock():
        writer = threading.Thread(target=lambda: (second.sync_indexes(), order.append("second")))
        writer.start()
        writer.join(timeout=1.0)
        assert writer.is_alive()  # blocked on the lock
        order.append("first")
    writer.join(timeout=60)
    assert order == ["first", "second"]


def test_unrepairable_indexes_answer_503(web_settings: Settings, embedder: Embedder) -> None:
    kb = KnowledgeBase(web_settings, embedder=embedder)
    kb.unavailable = IndexUnavailableError("The search indexes could not be rebuilt. Run `curbside kb rebuild`.")
    with pytest.raises(IndexUnavailableError):
        kb.search(QUESTION)
    dispose_engines()
