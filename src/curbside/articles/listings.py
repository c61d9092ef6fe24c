"""Which articles to list: recent and popular approved ones, search, the review queue.

Each query returns ``(article id, audience)`` pairs; the service turns them into views.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine

from curbside.articles import workflow
from curbside.articles.models import ReviewState
from curbside.articles.tables import articles, versions
from curbside.domain import Audience

_APPROVED = ReviewState.APPROVED.value
Pair = tuple[int, Audience]


def listed_ids(engine: Engine) -> set[int]:
    """Articles with something to show: an approved version or a draft still in the workflow."""
    shown = [_APPROVED, *(s.value for s in workflow.DRAFT_STATES)]
    query = select(versions.c.article_id).where(versions.c.state.in_(shown)).distinct()
    with engine.connect() as conn:
        return {int(r[0]) for r in conn.execute(query)}


def recent_approved(engine: Engine, limit: int) -> list[Pair]:
    """Articles by their newest approval, newest first."""
    newest = func.max(versions.c.approved_at).label("newest")
    query = (select(versions.c.article_id, newest).where(versions.c.state == _APPROVED)
             .group_by(versions.c.article_id)
             .order_by(newest.desc(), versions.c.article_id.desc()).limit(limit))
    with engine.connect() as conn:
        ids = [int(r.article_id) for r in conn.execute(query)]
    return with_audience(engine, ids, approved=True)


def popular_approved(engine: Engine, limit: int) -> list[Pair]:
    """Approved articles, most viewed first."""
    approved = select(versions.c.id).where(versions.c.article_id == articles.c.id,
                                           versions.c.state == _APPROVED).exists()
    query = (select(articles.c.id).where(approved)
             .order_by(articles.c.views.desc(), articles.c.updated_at.desc(), articles.c.id.desc())
             .limit(limit))
    with engine.connect() as conn:
        ids = [int(r.id) for r in conn.execute(query)]
    return with_audience(engine, ids, approved=True)


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(engine: Engine, terms: Sequence[str], limit: int) -> list[Pair]:
    """Articles whose question or title has every term (any case), most viewed first."""
    query = select(articles.c.id)
    for term in terms:
        pattern = _like(term)
        query = query.where(or_(articles.c.question.ilike(pattern, escape="\\"),
                                articles.c.title.ilike(pattern, escape="\\")))
    query = query.order_by(articles.c.views.desc(), articles.c.updated_at.desc(),
                           articles.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        ids = [int(r.id) for r in conn.execute(query)]
    return with_audience(engine, ids, approved=False)


def awaiting_review(engine: Engine) -> list[Pair]:
    """(article, audience) with a version submitted or under review, longest waiting first."""
    since = func.min(versions.c.updated_at).label("since")
    query = (select(versions.c.article_id, versions.c.audience, since)
             .where(versions.c.state.in_([s.value for s in workflow.AWAITING_REVIEW]))
             .group_by(versions.c.article_id, versions.c.audience)
             .order_by(since, versions.c.article_id))
    with engine.connect() as conn:
        return [(int(r.article_id), Audience(r.audience)) for r in conn.execute(query)]


def with_audience(engine: Engine, ids: list[int], *, approved: bool) -> list[Pair]:
    """Pair each article with the audience to show: the one it was asked for when it has one
    (approved, if ``approved``), else its most recently approved or created one."""
    if not ids:
        return []
    query = (select(versions.c.article_id, versions.c.audience, articles.c.audience.label("own"))
             .join(articles, articles.c.id == versions.c.article_id)
             .where(versions.c.article_id.in_(ids)))
    if approved:
        query = query.where(versions.c.state == _APPROVED)
    choice: dict[int, Audience] = {}
    with engine.connect() as conn:
        for r in conn.execute(query.order_by(versions.c.id.desc())):
            article_id = int(r.article_id)
            if article_id not in choice or r.audience == r.own:
                choice[article_id] = Audience(r.audience)
    return [(i, choice[i]) for i in ids if i in choice]
