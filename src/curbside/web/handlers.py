"""Exception handlers: every error leaves the app in the one JSON shape (or as an HTML page).

API paths (``/api/…``) and clients that do not ask for HTML get
``{"error": {code, message, status, retryable, details}}``; browsers get the same content as a
page. A page that needs a signed-in user redirects to the login form instead of a 401.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from curbside.errors import (
    AuthenticationError,
    CurbsideError,
    DatabaseUnavailableError,
    RateLimitedError,
)

log = logging.getLogger("curbside.web")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}


def wants_html(request: Request) -> bool:
    """True for page requests from a browser; API paths always get JSON."""
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_response(request: Request, exc: CurbsideError) -> Response:
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimitedError | DatabaseUnavailableError):
        headers["Retry-After"] = str(exc.details.get("retry_after_s", 60))
    if wants_html(request):
        if isinstance(exc, AuthenticationError) and request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        from curbside.web.templating import render

        return render(
            request, "error.html", {"error": exc}, status_code=exc.status, headers=headers
        )
    return JSONResponse(exc.to_dict(), status_code=exc.status, headers=headers)


async def _curbside_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CurbsideError)
    return error_response(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    message = exc.detail if isinstance(exc.detail, str) else "Request failed."
    if status == 404 and message == "Not Found":
        message = (
            f"Nothing here: {request.url.path}. Check the address, or start from the home page."
        )
    elif status == 405:
        message = f"{request.method} is not allowed on {request.url.path}."
    err = CurbsideError(
        message,
        code=_HTTP_CODES.get(status, "http_error"),
        status=status,
        retryable=status in (429, 502, 503, 504),
    )
    response = error_response(request, err)
    if exc.headers:
        response.headers.update(exc.headers)
    if status == 405:  # every method of every route on this path, not only the first route's
        allowed = _allowed_methods(request)
        if allowed:
            response.headers["Allow"] = ", ".join(sorted(allowed))
    return response


def _allowed_methods(request: Request) -> set[str]:
    """The methods the OpenAPI schema documents for this path (pages are not in it: empty)."""
    methods: set[str] = set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = "".join("[^/]+" if part.startswith("{") else re.escape(part)
                          for part in re.split(r"(\{[^}]+\})", template))
        if re.fullmatch(pattern, request.url.path):
            methods |= {m.upper() for m in operations if m.lower() in _HTTP_METHODS}
    return methods


_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options"})


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems: list[dict[str, Any]] = jsonable_encoder(exc.errors(), exclude={"input", "ctx", "url"})
    first = problems[0] if problems else {}
    where = ".".join(str(p) for p in first.get("loc", []) if p != "body")
    message = f"Invalid request: {where + ': ' if where else ''}{first.get('msg', 'bad input')}."
    return error_response(
        request,
        CurbsideError(message, code="validation_error", status=422, details={"errors": problems}),
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(
        request,
        CurbsideError(
            "Something went wrong on our side. Try again; if it keeps happening, check the server log.",
            retryable=True,
        ),
    )


async def _database_unreachable(request: Request, exc: Exception) -> Response:
    """A lost database connection (PostgreSQL restarting): 503 with Retry-After, not a 500.
    The pool drops the broken connections; the next request connects afresh (pool pre-ping)."""
    log.warning("database unreachable on %s %s: %s", request.method, request.url.path,
                str(exc).splitlines()[0][:200])
    return error_response(request, DatabaseUnavailableError(
        "The database is not reachable right now (it may be restarting). Try again in a moment.",
        details={"retry_after_s": 2}))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CurbsideError, _curbside_error)
    app.add_exception_handler(OperationalError, _database_unreachable)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
