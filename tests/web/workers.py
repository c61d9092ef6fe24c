"""Start `curbside serve --workers N` as a real process group for tests and benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(data_dir: Path, database_url: str, *, workers: int = 2, timeout_s: float = 240,
            **env: str) -> Iterator[str]:
    """Serve on a free loopback port until the block ends; yields the base URL once /readyz is
    200 on the server (every worker loads the model before it accepts requests)."""
    port = free_port()
    environment = {**os.environ, "CURBSIDE_DATA_DIR": str(data_dir),
                   "CURBSIDE_DATABASE_URL": database_url, "CURBSIDE_STARTER_PACK": "false",
                   "CURBSIDE_WEB__SECRET_KEY": "workers-test-secret", **env}
    log = (data_dir.parent / f"serve-{port}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "curbside.cli.main", "serve", "--host", "127.0.0.1", "--port",
         str(port), "--workers", str(workers)],
        env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError("curbside serve exited: " + Path(log.name).read_text()[-3000:])
            try:
                if httpx.get(base + "/readyz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("curbside serve was not ready: " + Path(log.name).read_text()[-3000:])
            time.sleep(0.3)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
