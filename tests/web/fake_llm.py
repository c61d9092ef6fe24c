"""A misbehaving OpenAI-compatible endpoint on loopback, for fault tests and benchmarks: slow
(sleeps before answering), garbage (200 with text that is no answer) or failing (HTTP 500).
Stands in only for the LLM server's failures: the extractive fallback under test is real."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def fake_llm(mode: str = "garbage", delay_s: float = 0.0) -> Iterator[str]:
    """Serve until the block ends; yields the base URL (``http://127.0.0.1:PORT/v1``)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def _reply(self) -> None:
            time.sleep(delay_s)
            if mode == "error":
                body, status = b'{"error": {"message": "overloaded"}}', 500
            else:
                content = "Lorem ipsum }{ not the JSON you asked for"
                body = json.dumps({"id": "x", "object": "chat.completion", "model": "fake",
                                   "choices": [{"index": 0, "finish_reason": "stop",
                                                "message": {"role": "assistant",
                                                            "content": content}}]}).encode()
                status = 200
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up waiting
                pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            self._reply()

        def do_GET(self) -> None:
            self._reply()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
