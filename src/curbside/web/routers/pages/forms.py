"""Helpers for HTML form posts: the CSRF check and safe redirects."""

from __future__ import annotations

from fastapi import Request

from curbside.answer.render.links import is_site_path
from curbside.web.security import CSRF_FIELD, check_csrf


async def verify_csrf(request: Request) -> None:
    """Dependency of every form POST: the hidden csrf_token field must match the session's."""
    form = await request.form()
    value = form.get(CSRF_FIELD)
    check_csrf(request, value if isinstance(value, str) else None)


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go to after a form (never another site: no '//host' or scheme)."""
    if not target or not is_site_path(target):
        return default
    return target
