"""Start `curbside serve --workers N` as a real process group for tests and benchmarks."""

from __future__ import annotations

import json
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


def workers_up(metrics: str) -> int:
    """``curbside_workers_up`` in a /metrics text: the workers that have loaded their services and
    accept connections (each adds one as its startup ends; 0 before any has)."""
    for line in metrics.splitlines():
        if line.startswith("curbside_workers_up "):
            return int(float(line.split()[1]))
    return 0


def requests_by_worker(data_dir: Path, route: str) -> dict[int, int]:
    """Requests to ``route`` each worker served (by pid), read from the prometheus-client
    multiprocess files ``serve`` keeps under the data directory (one file per worker)."""
    from prometheus_client.mmap_dict import MmapedDict

    served: dict[int, int] = {}
    for path in (data_dir / "prometheus").glob("histogram_*.db"):
        for key, value, *_ in MmapedDict.read_all_values_from_file(str(path)):
            _, sample, labels, _ = json.loads(key)
            if sample.endswith("_bucket") and labels.get("route") == route:  # a request is in one bucket
                pid = int(path.stem.rsplit("_", 1)[1])
                served[pid] = served.get(pid, 0) + int(value)
    return served


@contextmanager
def serving(data_dir: Path, database_url: str, *, workers: int = 2, timeout_s: float = 240,
            **env: str) -> Iterator[str]:
    """Serve on a free loopback port until the block ends; yields the base URL once every worker
    is up (``curbside_workers_up`` in /metrics is ``workers``) and /readyz is 200.

    A worker accepts connections only once it has loaded the model, so waiting for the first
    answer is not enough: the first worker up would take every connection while the others load.
    """
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
        up, ready = 0, False
        while True:
            if process.poll() is not None:
                raise RuntimeError("curbside serve exited: " + Path(log.name).read_text()[-3000:])
            try:  # /metrics on any worker sums every worker's files
                up = workers_up(httpx.get(base + "/metrics", timeout=5).text)
                ready = up == workers and httpx.get(base + "/readyz", timeout=5).status_code == 200
                if ready:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"curbside serve was not ready after {timeout_s:.0f} s: {up} of {workers} "
                    f"worker(s) up, /readyz {'200' if ready else 'not 200'}: "
                    + Path(log.name).read_text()[-3000:])
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
