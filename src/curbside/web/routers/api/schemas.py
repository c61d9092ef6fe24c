"""Request and response bodies of the JSON API (what ``/openapi.json`` documents)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from curbside.accounts.models import Role, User
from curbside.articles.models import ArticleVersion, ArticleView, ReviewState
from curbside.domain import Audience
from curbside.text import normalize_space
from curbside.web.params import MAX_ROW_ID, THREAD_ID_PATTERN, ArticleAudience
from curbside.web.urls import article_path

Action = Literal["start_review", "approve", "request_changes", "reject", "retract", "resubmit"]


class ErrorDetail(BaseModel):
    code: str = Field(
        description="Machine-readable code, e.g. 'not_found', 'rate_limited', 'conflict'."
    )
    message: str = Field(description="What went wrong and, where there is one, the fix.")
    status: int = Field(description="The HTTP status.")
    retryable: bool = Field(description="Whether trying again later may succeed.")
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorBody(BaseModel):
    """The one error shape of every curbside error."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries documenting the error shape for these statuses."""
    names = {
        400: "Invalid input",
        401: "Not signed in",
        403: "Not allowed",
        404: "Not found",
        409: "Conflict (someone else acted first)",
        422: "Validation error",
        429: "Rate limited",
        500: "Internal error",
    }
    return {s: {"model": ErrorBody, "description": names.get(s, "Error")} for s in statuses}


class AskRequest(BaseModel):
    question: str = Field(
        min_length=3,
        max_length=2000,
        description="The question, in plain words (at least three characters besides spaces).",
    )
    audience: ArticleAudience = Field(
        ArticleAudience.CLINICIAN, description="Who the article is written for."
    )
    thread_id: str | None = Field(
        None,
        pattern=THREAD_ID_PATTERN,
        description="Continue a thread (the id an earlier answer returned): a follow-up is "
        "resolved against its previous turn. Leave it out to start a new thread.",
    )

    @field_validator("question")
    @classmethod
    def _has_words(cls, value: str) -> str:
        question = normalize_space(value)
        if len(question) < 3:
            raise ValueError("type a question (at least three characters besides spaces)")
        return question


class VariantRequest(BaseModel):
    audience: ArticleAudience = Field(description="Who the variant is written for.")


class TransitionRequest(BaseModel):
    action: Action = Field(description="The workflow action to take on the version.")
    comment: str = Field(
        "", max_length=5000, description="The reviewer's comment, kept in the audit trail."
    )
    lock_version: int = Field(
        ge=0,
        le=MAX_ROW_ID,
        description="The version's lock_version as read; a stale one is a 409 conflict.",
    )


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class LoginResponse(BaseModel):
    user: User
    csrf_token: str = Field(description="Send as X-CSRF-Token with cookie-authenticated requests.")


class RelatedArticle(BaseModel):
    slug: str
    question: str
    url: str


def _listed(view: ArticleView) -> dict[str, Any]:
    """The fields an article has in every API body that lists it."""
    return {"slug": view.slug, "url": article_path(view.slug), "question": view.question,
            "audience": view.audience, "review_state": view.latest.state,
            "pending_review": view.pending_review, "last_updated": view.last_updated, "views": view.views}


class VersionSummary(BaseModel):
    id: int
    number: int
    audience: Audience
    state: ReviewState
    created_at: datetime
    lock_version: int


class ArticleOut(BaseModel):
    """An article as a reader sees it, plus the newest version's status for reviewers."""

    id: int
    slug: str
    url: str = Field(description="The article page.")
    question: str
    audience: Audience
    pending_review: bool = Field(description="True unless the displayed version is approved.")
    review_state: ReviewState = Field(
        description="State of the newest version (drives the status stepper)."
    )
    last_updated: datetime
    views: int
    version: ArticleVersion = Field(
        description="The displayed version: the newest approved one, else the newest."
    )
    latest: VersionSummary = Field(
        description="The newest version of any state (what reviewers act on)."
    )
    public_version_id: int | None = None
    related: list[RelatedArticle] = Field(default_factory=list)
    removed: list[str] = Field(
        default_factory=list,
        description="Kinds of personal data masked in the question before it was answered and published "
        "(NAME, PHONE, DATE, ID …); the stored question shows [KIND] in their place.",
    )

    @classmethod
    def of(cls, view: ArticleView) -> ArticleOut:
        return cls(
            **_listed(view),
            id=view.id,
            version=view.displayed,
            latest=VersionSummary.model_validate(view.latest, from_attributes=True),
            public_version_id=view.public.id if view.public else None,
            related=[RelatedArticle(slug=s, question=q, url=article_path(s)) for s, q in view.related],
            removed=view.removed,
        )


class ArticleSummary(BaseModel):
    slug: str
    url: str
    question: str
    title: str
    audience: Audience
    review_state: ReviewState
    pending_review: bool
    last_updated: datetime
    views: int

    @classmethod
    def of(cls, view: ArticleView) -> ArticleSummary:
        return cls(**_listed(view), title=view.displayed.answer.title)


class DiffOut(BaseModel):
    slug: str
    old_version_id: int
    new_version_id: int
    diff: str = Field(description="Unified diff of the Markdown renderings.")


class MeOut(BaseModel):
    user: User | None
    role: Role | None = None
