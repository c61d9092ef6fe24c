"""Jinja2 templates (autoescape on for every template) and the helpers they use."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from curbside.accounts.models import User
from curbside.answer.render.html import answer_body
from curbside.answer.render.links import safe_url
from curbside.articles.models import STATE_LABELS, ReviewState
from curbside.articles.workflow import Permission, allowed
from curbside.domain import Audience
from curbside.web.security import CSRF_FIELD, csrf_token
from curbside.web.urls import article_path, variant_path

TEMPLATES = Path(__file__).parent / "templates"

#: The three public steps of the stepper, and where every state puts the article on it.
STEPS: tuple[tuple[str, str], ...] = (
    ("submitted", "Submitted"),
    ("under_review", "Under Review"),
    ("approved", "Approved"),
)
_STEP_OF_STATE = {
    ReviewState.SUBMITTED: 0,
    ReviewState.UNDER_REVIEW: 1,
    ReviewState.CHANGES_REQUESTED: 1,
    ReviewState.REJECTED: 1,
    ReviewState.APPROVED: 2,
    ReviewState.RETRACTED: 2,
    ReviewState.SUPERSEDED: 2,
}

AUDIENCE_CHOICES: tuple[tuple[Audience, str, str], ...] = (
    (Audience.CLINICIAN, "Healthcare professional", "Clinical language, management detail"),
    (Audience.PATIENT, "Patient or caregiver", "Plain language, when to seek care"),
)


def long_date(value: datetime | None) -> str:
    """'August 28, 2025' (the seeds' format)."""
    if value is None:
        return ""
    return f"{value:%B} {value.day}, {value.year}"


def iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def step_index(state: ReviewState | str) -> int:
    return _STEP_OF_STATE.get(ReviewState(state), 0)


def state_label(state: ReviewState | str) -> str:
    return STATE_LABELS.get(ReviewState(state), str(state))


def diff_lines(diff: str) -> list[tuple[str, str]]:
    """(css class, line) for a unified diff; the text itself is escaped by the template."""
    out: list[tuple[str, str]] = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "ctx"
        out.append((kind, line))
    return out


def can_review(user: User | None) -> bool:
    return allowed(user, Permission.SEE_QUEUE)


def can_edit(user: User | None) -> bool:
    return allowed(user, Permission.EDIT)


def _csrf_input(request: Request) -> Markup:
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_FIELD, escape(csrf_token(request))
    )


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["long_date"] = long_date
    env.filters["iso"] = iso
    env.filters["state_label"] = state_label
    env.filters["safe_url"] = safe_url
    env.globals.update(
        article_path=article_path,
        variant_path=variant_path,
        STEPS=STEPS,
        AUDIENCE_CHOICES=AUDIENCE_CHOICES,
        step_index=step_index,
        article_body=answer_body,  # the one rendering of an answer (answer/render/html.py)
        diff_lines=diff_lines,
        can_review=can_review,
        can_edit=can_edit,
    )
    return env


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render ``name`` with the request-wide context (site name, user, CSRF field, flashes)."""
    from curbside.web.dependencies import current_user, get_services

    services = get_services(request)
    flashes = request.session.pop("flash", []) if "session" in request.scope else []
    data: dict[str, Any] = {
        "request": request,
        "site_name": services.settings.web.site_name,
        "user": current_user(request),
        "csrf_input": _csrf_input(request),
        "flashes": flashes,
        "path": request.url.path,
    }
    data.update(context or {})
    html = environment().get_template(name).render(data)
    response = HTMLResponse(html, status_code=status_code, headers=dict(headers or {}))
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def render_anonymous(request: Request, name: str, context: Mapping[str, Any]) -> str:
    """The page as any anonymous reader sees it: no user, no flashes, no CSRF field (anonymous
    form posts are checked by origin), nothing read from or written to the session — so the
    same HTML can be cached and shared."""
    from curbside.web.dependencies import get_services

    data: dict[str, Any] = {
        "request": request,
        "site_name": get_services(request).settings.web.site_name,
        "user": None,
        "csrf_input": Markup(""),
        "flashes": [],
        "path": request.url.path,
    }
    data.update(context)
    return environment().get_template(name).render(data)


def flash(request: Request, message: str, kind: str = "info") -> None:
    """A one-time message shown on the next page."""
    request.session.setdefault("flash", []).append({"kind": kind, "text": message})
