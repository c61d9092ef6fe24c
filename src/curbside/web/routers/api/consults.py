"""The consult board: ask, read, moderate, reply, release a held More Info."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from curbside.accounts.models import User
from curbside.consult.models import Consult, ConsultRequest, ConsultView
from curbside.web.dependencies import ConsultsPort, get_consults, limit_asking, require_reviewer, require_user
from curbside.web.params import ConsultIdPath
from curbside.web.routers.api.schemas import error_responses

router = APIRouter(tags=["consults"], responses=error_responses(422, 500))

Consults = Annotated[ConsultsPort, Depends(get_consults)]
SignedIn = Annotated[User, Depends(require_user)]
Reviewer = Annotated[User, Depends(require_reviewer)]


class ModerationRequest(BaseModel):
    action: Literal["approve", "reject"]
    comment: str = Field("", max_length=5000)


class ReplyRequest(BaseModel):
    text: str = Field(min_length=10, max_length=10000, description="The doctor's reply (de-identified before it is stored).")


class ReleaseRequest(BaseModel):
    comment: str = Field("", max_length=5000)


class ConsultQueue(BaseModel):
    submitted: list[Consult] = Field(description="Questions waiting for an editor.")
    awaiting_reply: list[Consult] = Field(description="Approved questions waiting for a doctor's reply.")
    held_more_info: list[Consult] = Field(description="Published consults whose More Info contradicts the reply.")


@router.get("/consults", response_model=list[Consult])
def list_consults(consults: Consults, topic: Annotated[str, Query(max_length=200)] = "",
                  limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[Consult]:
    """Published consults, newest first (optionally on one Related FAQ topic)."""
    return consults.list_consults(topic=topic, limit=limit)


@router.post("/consults", response_model=Consult, status_code=201, dependencies=[Depends(limit_asking)],
             responses=error_responses(400, 429))
def ask(body: ConsultRequest, consults: Consults) -> Consult:
    """Ask the doctors: the question is de-identified and waits for an editor."""
    return consults.ask(body)


@router.get("/consults/queue", response_model=ConsultQueue, responses=error_responses(401, 403))
def queue(consults: Consults, _user: Reviewer) -> ConsultQueue:
    """What waits for editors and doctors."""
    return ConsultQueue(**consults.queue())


@router.get("/consults/{consult_id}", response_model=ConsultView, responses=error_responses(404))
def show(consult_id: ConsultIdPath, consults: Consults) -> ConsultView:
    """A published consult with More Info (AI-written), Similar Q&A and Related FAQ."""
    return consults.view(consult_id)


@router.post("/consults/{consult_id}/moderation", response_model=Consult,
             responses=error_responses(400, 401, 403, 404, 409))
def moderate(consult_id: ConsultIdPath, body: ModerationRequest, consults: Consults, user: SignedIn) -> Consult:
    """An editor approves a question for the doctors or rejects it."""
    return consults.moderate(consult_id, body.action, actor=user, comment=body.comment)


@router.post("/consults/{consult_id}/replies", response_model=Consult,
             responses=error_responses(400, 401, 403, 404, 409))
def reply(consult_id: ConsultIdPath, body: ReplyRequest, consults: Consults, user: SignedIn) -> Consult:
    """A doctor replies; the consult is published."""
    return consults.reply(consult_id, body.text, doctor=user)


@router.post("/consults/{consult_id}/more-info/release", response_model=Consult,
             responses=error_responses(400, 401, 403, 404))
def release(consult_id: ConsultIdPath, body: ReleaseRequest, consults: Consults, user: SignedIn) -> Consult:
    """An editor publishes a held More Info after checking it against the doctor's reply."""
    return consults.release_more_info(consult_id, actor=user, comment=body.comment)
