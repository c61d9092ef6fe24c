"""Sessions, CSRF tokens and who a client is for the rate limits.

- **Sessions** live on the server (``accounts/sessions.py``: ended by sign-out, a password
  change, idle and absolute timeouts). The signed cookie (starlette's ``SessionMiddleware``,
  itsdangerous) carries only the session's random token and the CSRF token, never a user id or a
  password. The signing key is ``settings.web.secret_key`` or, when that is empty, a random key
  kept in the data directory.
- **CSRF**: every HTML form that POSTs carries the session's token in a hidden ``csrf_token``
  field; :func:`check_csrf` compares it in constant time. Shared anonymous article pages carry
  none: an anonymous post without a token passes only when the browser marks it same-origin. The JSON API only accepts JSON bodies
  (a cross-site form cannot send one without a CORS preflight this app never allows), and a
  signed-in client must also send the token as ``X-CSRF-Token`` (:func:`check_api_csrf`).
- **Rate limits**: :func:`client_key` names the client (the signed-in user, else the address);
  the limits themselves are :mod:`curbside.ratelimit`, counted in the database so every worker
  shares one count.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from starlette.requests import Request

from curbside.accounts.sessions import SessionStore
from curbside.errors import CurbsideError
from curbside.settings import Settings

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_CSRF_KEY = "csrf"
_SID_KEY = "sid"


class CsrfError(CurbsideError):
    """A form came without the token of this session (a stale page, or a forged request)."""

    status, code = 403, "csrf_failed"


def session_secret(settings: Settings) -> str:
    """The key that signs session cookies: configured, or a random one kept in the data dir."""
    if settings.web.secret_key.get_secret_value():
        return settings.web.secret_key.get_secret_value()
    path: Path = settings.data_dir / "web_secret_key"
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


def csrf_token(request: Request) -> str:
    """The CSRF token of this session, created on first use."""
    token = request.session.get(_CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[_CSRF_KEY] = token
    return token


def _matches_session_token(request: Request, submitted: str | None) -> bool:
    expected = request.session.get(_CSRF_KEY)
    return bool(submitted) and isinstance(expected, str) and hmac.compare_digest(submitted or "", expected)


def same_origin(request: Request) -> bool:
    """True when the browser says the request comes from this site: ``Sec-Fetch-Site:
    same-origin``, or an ``Origin`` equal to the request's own. Browsers set both on form posts
    and page scripts cannot forge them; a request with neither header is not same-origin."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return False
    return origin.rstrip("/") == f"{request.url.scheme}://{request.url.netloc}"


def check_csrf(request: Request, submitted: str | None) -> None:
    """Raise :class:`CsrfError` unless ``submitted`` is this session's token.

    Anonymous pages are shared (cached per version, see curbside.web.page_cache) and carry no
    token, so a form post *without a signed-in user and without a token* passes when the
    browser marks it same-origin (:func:`same_origin`); signed-in users always need the token.
    """
    if not submitted and session_token(request) is None and same_origin(request):
        return
    if not _matches_session_token(request, submitted):
        raise CsrfError(
            "The form expired or did not come from this site. Reload the page and submit it again."
        )


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def check_api_csrf_for(request: Request, signed_in: bool) -> None:
    """API requests that change something under a signed-in session must carry X-CSRF-Token.

    Anonymous calls (asking, signing in) have no session authority to abuse and need no token.
    """
    if request.method in _SAFE_METHODS or not signed_in:
        return
    if not _matches_session_token(request, request.headers.get(CSRF_HEADER)):
        raise CsrfError(
            f"Signed-in API requests that change something need the {CSRF_HEADER} header: "
            "use the csrf_token returned by POST /api/v1/login."
        )


def session_token(request: Request) -> str | None:
    """The server-side session token the cookie carries, if any (alive or not: ask the store)."""
    value = request.session.get(_SID_KEY)
    return value if isinstance(value, str) and value else None


def log_in(request: Request, sessions: SessionStore, user_id: int, role: str) -> None:
    """Start a fresh server-side session (new token and CSRF token: no session fixation)."""
    old = session_token(request)
    if old is not None:
        sessions.end(old)
    request.session.clear()
    request.session[_SID_KEY] = sessions.start(user_id, role)
    request.session[_CSRF_KEY] = secrets.token_urlsafe(32)


def rotate(request: Request, sessions: SessionStore, user_id: int, role: str) -> None:
    """Give the session a new token (after a privilege change); the CSRF token stays."""
    old = session_token(request)
    if old is not None:
        request.session[_SID_KEY] = sessions.rotate(old, user_id, role)


def log_out(request: Request, sessions: SessionStore) -> None:
    """End the session on the server (the cookie stops working everywhere) and clear it."""
    token = session_token(request)
    if token is not None:
        sessions.end(token)
    request.session.clear()


def client_key(request: Request) -> str:
    """Who is asking, for the rate limit: the signed-in user, else the client address."""
    user = getattr(request.state, "user", None)
    user_id = getattr(user, "id", None)
    if isinstance(user_id, int):
        return f"user:{user_id}"
    host = request.client.host if request.client else "unknown"
    return f"addr:{host}"

