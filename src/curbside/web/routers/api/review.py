"""The advisory board's review workflow: queue, transitions, history, diffs, new versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from curbside.accounts.models import User
from curbside.articles.models import ArticleVersion, ReviewEvent
from curbside.web.dependencies import ArticlesPort, get_articles, require_reviewer
from curbside.web.params import MAX_ROW_ID, ArticleAudience, VersionIdPath, audience_of
from curbside.web.routers.api.schemas import ArticleOut, DiffOut, TransitionRequest, error_responses

router = APIRouter(tags=["review"], responses=error_responses(400, 403, 422, 500))

Articles = Annotated[ArticlesPort, Depends(get_articles)]
Reviewer = Annotated[User, Depends(require_reviewer)]


@router.get("/review/queue", response_model=list[ArticleOut], responses=error_responses(401, 403))
def queue(articles: Articles, _user: Reviewer) -> list[ArticleOut]:
    """Articles whose newest version awaits review (reviewers, editors, admins)."""
    return [ArticleOut.of(v) for v in articles.queue()]


@router.post(
    "/articles/{slug}/versions/{version_id}/transitions",
    response_model=ArticleVersion,
    responses=error_responses(400, 401, 403, 404, 409, 422),
)
def transition(
    slug: str,
    version_id: VersionIdPath,
    body: TransitionRequest,
    articles: Articles,
    user: Reviewer,
) -> ArticleVersion:
    """Act on a version (approve, request changes, reject …); a stale lock_version is a 409."""
    return articles.transition(
        slug,
        version_id,
        body.action,
        actor=user,
        comment=body.comment,
        expected_lock_version=body.lock_version,
    )


@router.post(
    "/articles/{slug}/regenerate",
    response_model=ArticleVersion,
    responses=error_responses(401, 403, 404),
)
def regenerate(
    slug: str,
    articles: Articles,
    user: Reviewer,
    audience: Annotated[ArticleAudience | None, Query(description="Which variant.")] = None,
) -> ArticleVersion:
    """A new version from the current evidence; it goes to review, the approved one stays public."""
    return articles.regenerate(slug, actor=user, audience=audience_of(audience))


@router.get(
    "/articles/{slug}/versions",
    response_model=list[ArticleVersion],
    responses=error_responses(401, 403, 404),
)
def versions(
    slug: str,
    articles: Articles,
    _user: Reviewer,
    audience: Annotated[ArticleAudience | None, Query(description="Only this variant.")] = None,
) -> list[ArticleVersion]:
    """Every version of the article (with answer, evidence and provenance)."""
    return articles.versions(slug, audience_of(audience))


@router.get(
    "/articles/{slug}/history",
    response_model=list[ReviewEvent],
    responses=error_responses(401, 403, 404),
)
def history(slug: str, articles: Articles, _user: Reviewer) -> list[ReviewEvent]:
    """The audit trail: every transition with who, when, from → to and the comment."""
    return articles.history(slug)


@router.get(
    "/articles/{slug}/diff", response_model=DiffOut, responses=error_responses(401, 403, 404, 422)
)
def diff(
    slug: str,
    articles: Articles,
    _user: Reviewer,
    old: Annotated[int, Query(ge=1, le=MAX_ROW_ID, description="Older version id.")],
    new: Annotated[int, Query(ge=1, le=MAX_ROW_ID, description="Newer version id.")],
) -> DiffOut:
    """Unified diff between two versions' Markdown renderings."""
    return DiffOut(
        slug=slug, old_version_id=old, new_version_id=new, diff=articles.diff(slug, old, new)
    )
