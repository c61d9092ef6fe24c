"""The article page and its printable view."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from curbside.accounts.models import User
from curbside.articles.models import ArticleView
from curbside.domain import Audience
from curbside.errors import NotFoundError
from curbside.web.dependencies import (
    ArticlesPort,
    current_user,
    get_articles,
    limit_new_variant,
)
from curbside.web.page_cache import PageCache, cache_control, http_date, not_modified, page_tag
from curbside.web.routers.pages.forms import verify_csrf
from curbside.web.security import session_token
from curbside.web.templating import render, render_anonymous
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


@router.api_route("/a/{slug}", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def article(request: Request, slug: str, audience: AudienceQuery = None) -> Response:
    """The article in the requested audience's variant; a variant not written yet offers a
    button that requests it (reading never writes).

    Anonymous readers get the shared page (rendered once per version and audience, ETag,
    Last-Modified, 304 on revalidation; see curbside.web.page_cache). A page read from the
    database less than ``web.page_fresh_s`` ago is answered right here, on the event loop, with
    no database read and no thread hop; everything else runs in the thread pool."""
    if session_token(request) is None and not request.session.get("flash"):
        cache: PageCache = request.app.state.page_cache
        fresh = cache.fresh((slug, audience.value if audience else ""))
        if fresh is not None:
            due = cache.views_due()
            if due:
                await run_in_threadpool(get_articles(request).count_views, due)
            return _respond(request, fresh.tag, fresh.html, fresh.last_modified,
                            fresh.cache_control)
    return await run_in_threadpool(_article, request, slug, audience)


def _article(request: Request, slug: str, audience: Audience | None) -> Response:
    articles = get_articles(request)
    user = current_user(request)
    anonymous = user is None and not request.session.get("flash")
    cache: PageCache = request.app.state.page_cache
    key = (slug, audience.value if audience else "")
    view = _view_or_missing(request, articles, slug, audience, user)
    if isinstance(view, HTMLResponse):
        return view
    if not anonymous:
        return render(request, "article.html", _context(view))
    settings = request.app.state.services.settings.web
    tag = page_tag(view)
    html = cache.get(tag)
    if html is None:
        html = render_anonymous(request, "article.html", _context(view))
        cache.put(tag, html)
    control = cache_control(view, settings.public_max_age_s)
    cache.remember(key, view.id, tag, html, view.last_updated, control)
    _add_views(articles, cache)
    return _respond(request, tag, html, view.last_updated, control)


def _add_views(articles: ArticlesPort, cache: PageCache) -> None:
    due = cache.views_due()
    if due:
        articles.count_views(due)


def _respond(request: Request, tag: str, html: str, last_modified: datetime,
             control: str) -> Response:
    # (SessionMiddleware adds Vary: Cookie.)
    headers = {"ETag": tag, "Last-Modified": http_date(last_modified), "Cache-Control": control}
    if not_modified(request, tag, last_modified):
        return Response(status_code=304, headers=headers)
    return HTMLResponse(html, headers=headers)


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


def _view_or_missing(request: Request, articles: ArticlesPort, slug: str, audience: Audience | None,
                     user: User | None) -> ArticleView | HTMLResponse:
    """The article's view, or the page offering to write a variant that does not exist yet."""
    try:
        return articles.get(slug, audience=audience, user=user)
    except NotFoundError as exc:
        if audience is None or not exc.details.get("variant_missing"):
            raise
        return _variant_missing(request, articles, slug, audience)


def _page(request: Request, template: str, slug: str, articles: ArticlesPort,
          user: User | None, audience: Audience | None) -> HTMLResponse:
    view = _view_or_missing(request, articles, slug, audience, user)
    return view if isinstance(view, HTMLResponse) else render(request, template, _context(view))


def _variant_missing(request: Request, articles: ArticlesPort, slug: str, audience: Audience) -> HTMLResponse:
    """A 404 page offering to write the missing variant (a button: reading never writes)."""
    return render(request, "variant_missing.html", {"view": articles.view(slug), "missing": audience},
                  status_code=404)


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
