"""Per-request observability: a request id, a latency histogram and one structured log line.

:class:`RequestObserver` is pure ASGI (no buffering, so SSE streams pass through untouched). It
takes the client's ``X-Request-ID`` when it is a short token of safe characters, else makes one,
sets :data:`curbside.logs.request_id` for everything logged while serving, returns the id in the
response header, observes ``curbside_request_seconds`` by *route template* (an article page counts under its template, never
the raw path, so label cardinality stays bounded) and logs ``request`` with method, route, status
and milliseconds on the ``curbside.access`` logger.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from curbside.logs import request_client, request_id
from curbside.metrics import REQUEST_SECONDS

HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
log = logging.getLogger("curbside.access")


def route_template(scope: Scope) -> str:
    """The path with each path parameter's segment named (the route template, e.g. the article route), or a fixed label.

    Built from the path and the matched ``path_params`` (a router's prefix is not on the route
    object FastAPI leaves in the scope). Unmatched paths share one label.
    """
    path = str(scope.get("path", ""))
    if path.startswith("/static/"):
        return "/static"
    if scope.get("route") is None:
        return "unmatched"
    names = {str(v): k for k, v in (scope.get("path_params") or {}).items()}
    return "/".join(f"{{{names[s]}}}" if s in names else s for s in path.split("/"))


class RequestObserver:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        supplied = dict(scope.get("headers") or []).get(HEADER.lower().encode(), b"").decode(
            "latin-1")
        rid = supplied if _VALID_ID.fullmatch(supplied) else uuid.uuid4().hex
        token = request_id.set(rid)
        client = scope.get("client")
        who = request_client.set(f"addr:{client[0]}" if client else "addr:unknown")
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)[HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = route_template(scope)
            REQUEST_SECONDS.labels(route, scope["method"], str(status)).observe(seconds)
            log.info("request", extra={"request_id": rid, "method": scope["method"], "route": route,
                                       "path": scope["path"], "status": status,
                                       "ms": round(seconds * 1000, 1)})
            request_id.reset(token)
            request_client.reset(who)
