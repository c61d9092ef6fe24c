"""The article page and its printable view."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from curbside.articles.models import ArticleView, User
from curbside.domain import Audience
from curbside.errors import NotFoundError
from curbside.web.dependencies import (
    ArticlesPort,
    current_user,
    get_articles,
    limit_new_variant,
)
from curbside.web.routers.pages.forms import verify_csrf
from curbside.web.templating import render
from curbside.web.urls import article_path

router = APIRouter(include_in_schema=False)

Articles = Annotated[ArticlesPort, Depends(get_articles)]
MaybeUser = Annotated[User | None, Depends(current_user)]
AudienceQuery = Annotated[Audience | None, Query(description="The variant to show.")]


def _thread_id(view: ArticleView) -> str | None:
    """The conversation a follow-up continues: the displayed answer's thread, if it has one."""
    thread = getattr(view.displayed.answer, "thread_id", None)
    if isinstance(thread, str) and thread:
        return thread
    provenance = view.displayed.provenance
    return provenance.thread_id if provenance is not None and provenance.thread_id else None


def _local_sources(view: ArticleView) -> dict[str, str]:
    """Source id → 'Local document “file.md”, added by alice on 2 December 2026' for the
    locally added documents the displayed version cites (provenance from ``kb add``)."""
    out = {}
    for hit in view.displayed.evidence:
        source = hit.source
        if source.collection != "local":
            continue
        other = source.identifiers.other
        line = f"Local document “{other.get('file', source.title)}”"
        if other.get("added_by"):
            line += f", added by {other['added_by']}"
        if other.get("added_at"):
            line += f" on {other['added_at']}"
        out[source.id] = line
    return out


def _context(view: ArticleView) -> dict[str, object]:
    version = view.displayed
    return {
        "view": view,
        "version": version,
        "answer": version.answer,
        "thread_id": _thread_id(view),
        "local_sources": _local_sources(view),
    }


def _page(request: Request, template: str, slug: str, articles: ArticlesPort,
          user: User | None, audience: Audience | None) -> HTMLResponse:
    try:
        view = articles.get(slug, audience=audience, user=user)
    except NotFoundError as exc:
        if audience is None or not exc.details.get("variant_missing"):
            raise
        base = articles.view(slug)
        return render(request, "variant_missing.html", {"view": base, "missing": audience},
                      status_code=404)
    return render(request, template, _context(view))


@router.api_route("/a/{slug}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def article(
    request: Request, slug: str, articles: Articles, user: MaybeUser, audience: AudienceQuery = None
) -> HTMLResponse:
    """The article in the requested audience's variant; a variant not written yet offers a
    button that requests it (reading never writes)."""
    return _page(request, "article.html", slug, articles, user, audience)


@router.post("/a/{slug}/variant", dependencies=[Depends(verify_csrf)])
def request_variant(
    request: Request,
    slug: str,
    articles: Articles,
    user: MaybeUser,
    audience: Annotated[Audience, Form()],
) -> RedirectResponse:
    """Write the article for another audience (counts as a question), then show it."""
    limit_new_variant(request, slug, audience)
    view = articles.request_variant(slug, audience, user=user)
    return RedirectResponse(article_path(view.slug, view.audience), status_code=303)


@router.get("/a/{slug}/print", response_class=HTMLResponse)
def printable(
    request: Request, slug: str, articles: Articles, user: MaybeUser, audience: AudienceQuery = None
) -> HTMLResponse:
    """The same article for paper: no navigation or forms, passages shown."""
    return _page(request, "print.html", slug, articles, user, audience)


@router.get("/articles/{slug}")
def article_alias(request: Request, slug: str) -> RedirectResponse:
    """Old or configured article URLs (``articles.article_url``) lead to the article page."""
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"{article_path(slug)}{query}", status_code=308)
