"""Structured logs: one JSON object per line, carrying the id of the request being served.

:data:`request_id` is a context variable the web middleware sets for each request (from a valid
``X-Request-ID`` header, else a new id), so every record logged while serving it — in the route,
the services, the thread pool (Starlette copies the context into it) — carries the same id.
:func:`configure_json_logging` is what ``curbside serve`` installs on the ``curbside`` logger
and on uvicorn's error logger.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
from typing import Any

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("curbside_request_id", default="")
#: Who is asking (``addr:<client address>``), for fairness between askers in the job queue.
request_client: contextvars.ContextVar[str] = contextvars.ContextVar("curbside_request_client",
                                                                     default="")

_RESERVED = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message"}


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", "request_id", ...extra fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
                  + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", "") or request_id.get()
        if rid:
            payload["request_id"] = rid
        for key, value in record.__dict__.items():
            if key not in _RESERVED and key != "request_id" and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str, ensure_ascii=False)


def configure_json_logging(level: int = logging.INFO) -> logging.Handler:
    """Send ``curbside`` and ``uvicorn.error`` records to stderr as JSON lines (idempotent)."""
    handler = next((h for h in logging.getLogger("curbside").handlers
                    if isinstance(h.formatter, JsonFormatter)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
    for name in ("curbside", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
    return handler
