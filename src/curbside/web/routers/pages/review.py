"""The reviewer dashboard: queue, one article's versions with diff, actions and audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from curbside.accounts.models import User
from curbside.articles.models import ArticleVersion, ArticleView
from curbside.articles.workflow import WORKFLOW
from curbside.domain import Audience
from curbside.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from curbside.web.dependencies import ArticlesPort, get_articles, require_reviewer
from curbside.web.params import LockVersionForm, OptionalVersionIdQuery, VersionIdPath
from curbside.web.routers.pages.forms import verify_csrf
from curbside.web.templating import flash, render

router = APIRouter(include_in_schema=False)

Articles = Annotated[ArticlesPort, Depends(get_articles)]
Reviewer = Annotated[User, Depends(require_reviewer)]


def _review_url(slug: str, audience: Audience | str) -> str:
    return f"/review/{slug}" + (
        "" if Audience(audience) == Audience.CLINICIAN else f"?audience={audience}"
    )


def _default_pair(view: ArticleView, versions: list[ArticleVersion]) -> tuple[int, int] | None:
    """What to compare: the public version with the newest, else the newest with the one before."""
    new = view.latest.id
    if view.public is not None and view.public.id != new:
        return view.public.id, new
    older = [v.id for v in versions if v.id < new]
    return (older[-1], new) if older else None


@router.get("/review", response_class=HTMLResponse)
def dashboard(request: Request, articles: Articles, user: Reviewer) -> HTMLResponse:
    return render(request, "review_queue.html", {"queue": articles.queue()})


@router.get("/review/{slug}", response_class=HTMLResponse)
def review_article(
    request: Request,
    slug: str,
    articles: Articles,
    user: Reviewer,
    audience: Annotated[Audience | None, Query()] = None,
    old: OptionalVersionIdQuery = None,
    new: OptionalVersionIdQuery = None,
) -> HTMLResponse:
    view = articles.view(slug, audience=audience)
    events = articles.history(slug)
    versions = sorted(articles.versions(slug, view.audience), key=lambda v: v.id)
    pair = (old, new) if old is not None and new is not None else _default_pair(view, versions)
    diff = ""
    if pair is not None and pair[0] != pair[1]:
        diff = articles.diff(slug, pair[0], pair[1])
    actions = WORKFLOW.allowed(view.latest.state, user)
    return render(
        request,
        "review_article.html",
        {
            "view": view,
            "events": sorted(events, key=lambda e: (e.at, e.id), reverse=True),
            "actions": actions,
            "pair": pair,
            "diff": diff,
            "versions": versions,
            "review_url": _review_url(slug, view.audience),
        },
    )


@router.post("/review/{slug}/versions/{version_id}", dependencies=[Depends(verify_csrf)])
def act(
    request: Request,
    slug: str,
    version_id: VersionIdPath,
    articles: Articles,
    user: Reviewer,
    action: Annotated[str, Form(max_length=50)],
    lock_version: LockVersionForm,
    comment: Annotated[str, Form(max_length=5000)] = "",
    audience: Annotated[Audience, Form()] = Audience.CLINICIAN,
) -> RedirectResponse:
    """One workflow action; problems come back as a message on the same page."""
    try:
        version = articles.transition(
            slug,
            version_id,
            action,
            actor=user,
            comment=comment.strip(),
            expected_lock_version=lock_version,
        )
    except (ConflictError, InputError, PermissionDeniedError, NotFoundError) as exc:
        flash(request, exc.message, "error")
    else:
        label = WORKFLOW.label(action)
        flash(request, f"{label}: version {version.number} is now {version.state_label.lower()}.")
    return RedirectResponse(_review_url(slug, audience), status_code=303)


@router.post("/review/{slug}/regenerate", dependencies=[Depends(verify_csrf)])
def regenerate(
    request: Request,
    slug: str,
    articles: Articles,
    user: Reviewer,
    audience: Annotated[Audience, Form()] = Audience.CLINICIAN,
) -> RedirectResponse:
    try:
        version = articles.regenerate(slug, actor=user, audience=audience)
    except (InputError, PermissionDeniedError, NotFoundError) as exc:
        flash(request, exc.message, "error")
    else:
        flash(
            request,
            f"Version {version.number} written from the current evidence; it awaits review.",
        )
    return RedirectResponse(_review_url(slug, audience), status_code=303)
