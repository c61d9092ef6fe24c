"""Middleware of the web app: the security headers on every response.

A strict Content-Security-Policy (no inline script), no sniffing, no framing; over HTTPS, HSTS and
Secure cookies; ``Cache-Control: no-store`` on API responses to a signed-in session. Request timing
and tagging is ``web/observability.py``; sessions are Starlette's signed cookie naming a server-side
session (``accounts/sessions.py``).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


SESSION_COOKIE = "curbside_session"
HSTS = "max-age=31536000; includeSubDomains"


def _over_https(scope: Scope) -> bool:
    """Whether the client reached us over HTTPS: directly, or through a proxy that says so."""
    if scope.get("scheme") == "https":
        return True
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for name, value in headers:
        if name == b"x-forwarded-proto":
            return value.decode("latin-1").split(",")[0].strip().lower() == "https"
    return False


def _has_session_cookie(scope: Scope) -> bool:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    return any(name == b"cookie" and SESSION_COOKIE.encode() in value for name, value in headers)


class SecurityHeaders:
    """Headers on every response: a strict Content-Security-Policy (no inline script), no
    sniffing; over HTTPS, HSTS and Secure cookies (``web.secure_cookies='auto'``); on API
    responses to a signed-in session (or setting one), ``Cache-Control: no-store``."""

    def __init__(self, app: ASGIApp, secure_cookies: str = "auto") -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = _over_https(scope)
        secure = self.secure_cookies == "always" or (self.secure_cookies == "auto" and https)
        api = scope["path"].startswith("/api/")
        signed_in = _has_session_cookie(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Content-Security-Policy", _CSP)
                headers.setdefault("X-Frame-Options", "DENY")
                if https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
                cookies = headers.getlist("set-cookie")
                if secure and cookies:
                    del headers["set-cookie"]
                    for cookie in cookies:
                        lower = cookie.lower()
                        flagged = "; secure" in lower or lower.endswith(";secure")
                        headers.append("set-cookie", cookie if flagged else cookie + "; secure")
                if api and (signed_in or cookies):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
