"""The article page and its printable view."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from curbside.articles.models import ArticleView, User
from curbside.domain import Audience
from curbside.web.dependencies import (
    ArticlesPort,
    current_user,
    get_articles,
    limit_new_variant,
)
from curbside.web.page_cache import PageCache, cache_control, http_date, not_modified, page_tag
from curbside.web.security import session_user_id
from curbside.web.templating import render, render_anonymous

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


def _context(view: ArticleView) -> dict[str, object]:
    version = view.displayed
    return {
        "view": view,
        "version": version,
        "answer": version.answer,
        "thread_id": _thread_id(view),
    }


@router.get("/a/{slug}", response_class=HTMLResponse)
async def article(request: Request, slug: str, audience: AudienceQuery = None) -> Response:
    """The article: generated on demand in the requested audience's variant.

    Anonymous readers get the shared page (rendered once per version and audience, ETag,
    Last-Modified, 304 on revalidation; see curbside.web.page_cache). A page read from the
    database less than ``web.page_fresh_s`` ago is answered right here, on the event loop, with
    no database read and no thread hop; everything else runs in the thread pool."""
    if session_user_id(request) is None and not request.session.get("flash"):
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
    limit_new_variant(request, slug, audience)
    view = articles.get(slug, audience=audience, user=user)
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


@router.get("/a/{slug}/print", response_class=HTMLResponse)
def printable(
    request: Request, slug: str, articles: Articles, user: MaybeUser, audience: AudienceQuery = None
) -> HTMLResponse:
    """The same article for paper: no navigation or forms, passages shown."""
    view = articles.get(slug, audience=audience, user=user)
    return render(request, "print.html", _context(view))


@router.get("/articles/{slug}")
def article_alias(request: Request, slug: str) -> RedirectResponse:
    """Old or configured article URLs (``articles.article_url``) lead to the article page."""
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/a/{quote(slug)}{query}", status_code=308)
