"""The two-person rule of the advisory board's review.

A version is approved only by reviewers who neither generated it nor last resubmitted it, and only
once ``articles.required_approvals`` distinct reviewers have approved it since its review last
started. Every approval is an audit event (``action='approve'``); approvals short of the number
leave the version ``under_review`` (the event's ``to_state`` says so), the last one approves it.
The check runs inside the transition's transaction, on the rows it is about to change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from curbside.articles.models import ReviewState
from curbside.articles.tables import review_events
from curbside.errors import PermissionDeniedError

#: Actions whose actor is an author of the version: they may not approve it.
AUTHOR_ACTIONS = ("create", "resubmit")


def approvals_since_review_started(conn: Connection, version_id: int) -> list[Any]:
    """The 'approve' events of ``version_id`` after its latest 'start_review' (oldest first)."""
    rows = conn.execute(
        select(review_events)
        .where(review_events.c.version_id == version_id)
        .order_by(review_events.c.id)
    ).all()
    approvals: list[Any] = []
    for row in rows:
        if row.action == "start_review":
            approvals = []
        elif row.action == "approve":
            approvals.append(row)
    return approvals


def approval_target(
    conn: Connection, version: Any, actor_id: int | None, actor_name: str, required: int
) -> ReviewState:
    """The state this approval leads to (APPROVED or still UNDER_REVIEW), or PermissionDenied."""
    events = conn.execute(
        select(review_events.c.action, review_events.c.actor_id).where(
            review_events.c.version_id == version.id
        )
    ).all()
    authors = {int(version.created_by)} if version.created_by is not None else set()
    authors |= {int(e.actor_id) for e in events if e.action in AUTHOR_ACTIONS and e.actor_id}
    if actor_id is None or actor_id in authors:
        raise PermissionDeniedError(
            f"{actor_name} generated or resubmitted this version, so another reviewer must "
            "approve it (two-person rule).",
            code="own_version",
            details={"version_id": int(version.id)},
        )
    earlier = approvals_since_review_started(conn, int(version.id))
    if any(e.actor_id == actor_id for e in earlier):
        raise PermissionDeniedError(
            f"{actor_name} already approved this version; it needs {required} approvals by "
            "different reviewers.",
            code="already_approved",
            details={"version_id": int(version.id), "required_approvals": required},
        )
    if len(earlier) + 1 >= required:
        return ReviewState.APPROVED
    return ReviewState.UNDER_REVIEW
