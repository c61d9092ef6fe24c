"""Asking, reading, searching and exporting articles."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from curbside.accounts.models import User
from curbside.web.dependencies import (
    ArticlesPort,
    current_user,
    get_articles,
    limit_asking,
    limit_new_variant,
)
from curbside.web.params import ArticleAudience, audience_of
from curbside.web.routers.api.schemas import (
    ArticleOut,
    ArticleSummary,
    AskRequest,
    VariantRequest,
    error_responses,
)
from curbside.web.streaming import event_stream, progress_events

router = APIRouter(tags=["articles"], responses=error_responses(400, 403, 422, 500))

Articles = Annotated[ArticlesPort, Depends(get_articles)]
MaybeUser = Annotated[User | None, Depends(current_user)]
EXPORT_TYPES = {"markdown": "text/markdown; charset=utf-8", "json": "application/json"}


@router.post(
    "/ask",
    response_model=ArticleOut,
    responses=error_responses(400, 404, 422, 429),
)
def ask(request: Request, body: AskRequest, articles: Articles, user: MaybeUser) -> ArticleOut:
    """Ask a question: the article answering it (an existing one for a near-duplicate question)."""
    limit_asking(request)  # after validation: a rejected request does not count
    view = articles.ask(
        body.question, audience=body.audience.audience, thread_id=body.thread_id, user=user
    )
    return ArticleOut.of(view)


@router.post(
    "/ask/stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "Server-sent events: progress…, then done {slug, url} or error.",
        },
        **error_responses(422, 429),
    },
)
def ask_stream(
    request: Request, body: AskRequest, articles: Articles, user: MaybeUser
) -> StreamingResponse:
    """Ask a question and follow generation as server-sent events."""
    limit_asking(request)  # after validation: a rejected request does not count
    return event_stream(
        progress_events(
            articles,
            body.question,
            audience=body.audience.audience,
            thread_id=body.thread_id,
            user=user,
        )
    )


@router.get("/articles", response_model=list[ArticleSummary], responses=error_responses(422))
def search(
    articles: Articles,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Search words.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[ArticleSummary]:
    """Search the articles."""
    return [ArticleSummary.of(v) for v in articles.search(q, limit=limit)]


@router.get("/articles/recent", response_model=list[ArticleSummary])
def recent(
    articles: Articles, limit: Annotated[int, Query(ge=1, le=100)] = 10
) -> list[ArticleSummary]:
    """The most recently updated approved articles."""
    return [ArticleSummary.of(v) for v in articles.recent(limit)]


@router.get("/articles/popular", response_model=list[ArticleSummary])
def popular(
    articles: Articles, limit: Annotated[int, Query(ge=1, le=100)] = 10
) -> list[ArticleSummary]:
    """The most viewed approved articles."""
    return [ArticleSummary.of(v) for v in articles.popular(limit)]


@router.get("/articles/{slug}", response_model=ArticleOut, responses=error_responses(404, 422))
def get_article(
    slug: str,
    articles: Articles,
    user: MaybeUser,
    audience: Annotated[
        ArticleAudience | None,
        Query(description="Variant to show (one nobody requested yet is a 404: POST …/variants)."),
    ] = None,
) -> ArticleOut:
    """One article, in the requested audience's variant. Reading never writes a version."""
    return ArticleOut.of(articles.get(slug, audience=audience_of(audience), user=user))


@router.post(
    "/articles/{slug}/variants",
    response_model=ArticleOut,
    responses=error_responses(400, 404, 422, 429),
)
def request_variant(
    request: Request, slug: str, body: VariantRequest, articles: Articles, user: MaybeUser
) -> ArticleOut:
    """The article in another audience, written from the evidence if it has no such version yet
    (that counts as a question against the rate limit)."""
    audience = body.audience.audience
    limit_new_variant(request, slug, audience)
    return ArticleOut.of(articles.request_variant(slug, audience, user=user))


@router.get(
    "/articles/{slug}/export",
    responses={
        200: {"content": {"text/markdown": {}, "application/json": {}}},
        **error_responses(400, 404),
    },
)
def export(
    slug: str,
    articles: Articles,
    fmt: Annotated[
        Literal["markdown", "json"], Query(alias="format", description="'markdown' or 'json'.")
    ] = "markdown",
    audience: Annotated[ArticleAudience | None, Query(description="Which variant.")] = None,
) -> Response:
    """The displayed version as Markdown, or the article with its history as JSON."""
    text = articles.export(slug, fmt, audience=audience_of(audience))
    suffix = "md" if fmt == "markdown" else "json"
    return Response(
        text,
        media_type=EXPORT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{slug}.{suffix}"'},
    )
