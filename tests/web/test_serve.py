"""`curbside serve` and app startup: the knowledge base is opened and the starter pack installed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from curbside.cli.main import app as cli
from curbside.kb import packs
from curbside.kb.service import KnowledgeBase
from curbside.web.app import create_app
from tests.web.conftest import web_settings_for


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_is_a_command_with_host_and_port() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output


@pytest.mark.parametrize("starter_pack", [True, False])
def test_startup_installs_the_starter_pack_only_when_configured(
    web_data: Path, monkeypatch: pytest.MonkeyPatch, starter_pack: bool
) -> None:
    calls: list[KnowledgeBase] = []

    def record(kb: KnowledgeBase, **_: object) -> bool:
        calls.append(kb)
        return False

    monkeypatch.setattr(packs, "ensure_starter_pack", record)
    settings = web_settings_for(web_data).model_copy(update={"starter_pack": starter_pack})
    with TestClient(create_app(settings)) as client:
        assert client.get("/").status_code == 200
    assert len(calls) == (1 if starter_pack else 0)
    if calls:
        assert calls[0].settings.data_dir == web_data


@pytest.mark.slow
def test_curbside_serve_serves_the_library(web_data: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "CURBSIDE_DATA_DIR": str(web_data),
        "CURBSIDE_STARTER_PACK": "false",
        "CURBSIDE_WEB__SECRET_KEY": "serve-test-secret",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "curbside.cli.main",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"curbside serve exited: {process.stdout.read() if process.stdout else ''}"
                )
            try:
                home = httpx.get(base + "/", headers={"accept": "text/html"}, timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail("curbside serve did not answer")
                time.sleep(0.2)
        assert home.status_code == 200 and "Ask a medical question" in home.text
        assert httpx.get(base + "/api/v1/articles/recent").json() == []
        assert httpx.get(base + "/openapi.json").json()["info"]["title"] == "curbside API"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_workers_have_time_to_start_on_a_busy_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A spawned worker imports the command's module again before it answers uvicorn's liveness
    # ping; with uvicorn's 5 s a busy machine killed every worker as hung and started it again.
    import uvicorn

    from curbside.cli import serve as serve_module
    from curbside.metrics import MULTIPROC_ENV

    seen: dict[str, object] = {}

    def run(app: object, *, timeout_worker_healthcheck: int = 5, **options: object) -> None:
        seen.update(options, app=app, timeout_worker_healthcheck=timeout_worker_healthcheck)

    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.setattr(serve_module, "_first_run", lambda settings: None)
    monkeypatch.setenv("CURBSIDE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CURBSIDE_STARTER_PACK", "false")
    monkeypatch.setenv(MULTIPROC_ENV, str(tmp_path / "prometheus"))  # restored after the test
    result = CliRunner().invoke(cli, ["serve", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert seen["workers"] == 2 and seen["app"] == serve_module.APP_FACTORY
    assert isinstance(seen["timeout_worker_healthcheck"], int) and seen["timeout_worker_healthcheck"] >= 60


def test_the_objects_loaded_at_start_are_kept_out_of_the_garbage_collector(web_data: Path) -> None:
    # A full collection walked every object the libraries and models made at start-up, stalling
    # the worker's requests; they are frozen once the app has started, and let go when it stops.
    import gc

    before = gc.get_freeze_count()
    with TestClient(create_app(web_settings_for(web_data))) as client:
        assert client.get("/readyz").status_code == 200
        assert gc.get_freeze_count() > before + 10_000
    assert gc.get_freeze_count() == 0
