"""Boundary types of the articles domain (pydantic): versions, review events, views (users and
roles: ``accounts/models.py``).

These cross into the web layer (``web/dependencies.py``: ``ArticlesPort``) and the JSON API; nothing here
touches the database.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from curbside.domain import Answer, Audience, SearchHit


class ReviewState(StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    RETRACTED = "retracted"
    SUPERSEDED = "superseded"


#: How each state is printed (the stepper shows the first three).
STATE_LABELS: dict[ReviewState, str] = {
    ReviewState.SUBMITTED: "Submitted",
    ReviewState.UNDER_REVIEW: "Under Review",
    ReviewState.APPROVED: "Approved",
    ReviewState.CHANGES_REQUESTED: "Changes requested",
    ReviewState.REJECTED: "Rejected",
    ReviewState.RETRACTED: "Retracted",
    ReviewState.SUPERSEDED: "Superseded",
}


class ReviewEvent(BaseModel):
    """One entry of the audit trail: who did what to which version, when, and why."""

    id: int
    version_id: int
    actor: str
    actor_credentials: str
    at: datetime
    from_state: ReviewState | None
    to_state: ReviewState
    comment: str
    action: str = Field("", description="Workflow action ('create', 'approve', 'supersede' …).")
    actor_role: str = ""
    actor_specialty: str = ""
    version_number: int = 0
    audience: Audience = Audience.CLINICIAN


class VersionProvenance(BaseModel):
    """How a version came to be (the answer's own provenance is inside ``answer``)."""

    reason: str = Field(description="'ask', 'variant' or 'regenerate'.")
    requested_by: str = Field("", description="Username, or '' for an anonymous reader.")
    thread_id: str | None = None
    settings_fingerprint: str = ""
    curbside_version: str = ""


class ArticleVersion(BaseModel):
    """One generated text of an article for one audience; published versions are never edited."""

    id: int
    number: int
    audience: Audience
    state: ReviewState
    answer: Answer
    evidence: list[SearchHit] = Field(
        description="The exact search hits the answer was composed from."
    )
    created_at: datetime
    lock_version: int = Field(description="Optimistic lock: pass it back as expected_lock_version.")
    updated_at: datetime | None = None
    approved_at: datetime | None = None
    provenance: VersionProvenance | None = None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


class ArticleView(BaseModel):
    """What a reader (or reviewer) sees of one article in one audience."""

    id: int
    slug: str
    question: str
    audience: Audience
    public: ArticleVersion | None = Field(
        description="Newest APPROVED version (what readers see), if any."
    )
    latest: ArticleVersion = Field(
        description="Newest version of any state (its state drives the stepper)."
    )
    last_updated: datetime
    views: int
    related: list[tuple[str, str]] = Field(
        default_factory=list, description="(slug, question) of related articles."
    )
    audiences: list[Audience] = Field(
        default_factory=list, description="Audiences that already have a version."
    )
    reviewed_by: list[str] = Field(
        default_factory=list, description="Signatures of who approved the public version."
    )
    removed: list[str] = Field(
        default_factory=list,
        description="Kinds of personal data masked in the question as asked (this request only).",
    )

    @property
    def displayed(self) -> ArticleVersion:
        return self.public or self.latest

    @property
    def pending_review(self) -> bool:
        return self.displayed.state != ReviewState.APPROVED

    @property
    def withdrawn(self) -> bool:
        """Nothing public and the newest version was rejected or retracted: show no text."""
        return self.public is None and self.latest.state in (
            ReviewState.REJECTED,
            ReviewState.RETRACTED,
        )

    @property
    def title(self) -> str:
        return self.displayed.answer.title or self.question
