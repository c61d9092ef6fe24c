"""Boundary types of the consult board (pydantic): consults, replies, More Info, Similar Q&A, FAQ.

A consult moves through the states of :class:`ConsultState`; the allowed moves, and who may make
them, are data in ``consult/workflow.py``, checked by the one workflow engine (``curbside/workflow.py``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from curbside.domain import Answer, Notice


class ConsultState(StrEnum):
    SUBMITTED = "submitted"
    AWAITING_REPLY = "awaiting_reply"
    PUBLISHED = "published"
    REJECTED = "rejected"


class MoreInfoState(StrEnum):
    NONE = "none"  # not composed yet
    PENDING = "pending"  # queued: composed by the background thread (or the next start)
    PUBLISHED = "published"
    HELD = "held"  # contradicts the doctor's reply: an editor decides


AGE_BANDS = ("0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89", "90+")
SEXES = ("female", "male", "other", "unspecified")

#: Credentials that make someone a physician (compared without dots, spaces or case): only these
#: earn the title "Dr." before a name. Other doctorates (PharmD, PhD, DNP) are shown as credentials.
PHYSICIAN_CREDENTIALS = frozenset({
    "md", "do", "mbbs", "mbchb", "mbbch", "bmbs", "mbbchir", "mdcm", "mb", "bm", "bchir", "bmedsci",
    "frcp", "frcs", "frcpc", "frcsc", "facp", "facs", "mrcp", "mrcs", "mrcgp", "fracp", "fracs", "dm",
    "physician", "surgeon"})


def is_physician(credentials: str) -> bool:
    """Whether any credential in ``credentials`` ("MD, MPH", "MBBS FRCP", "RN") is a physician's."""
    tokens = (re.sub(r"[.\s]", "", t).lower() for t in re.split(r"[,;/]|\s(?=\S)", credentials))
    return any(t in PHYSICIAN_CREDENTIALS for t in tokens if t)


def byline(name: str, credentials: str) -> str:
    """A replier's name as shown: "Dr. Ke Fangxu, MD" for a physician, "Bob Nurse, RN" for a nurse,
    the bare name for an account without credentials; the credentials are the account's own."""
    credentials = " ".join(credentials.split())
    if not credentials:
        return name
    title = "Dr. " if is_physician(credentials) else ""
    return f"{title}{name}, {credentials}"


class Reply(BaseModel):
    """A doctor's reply, de-identified."""

    id: int = 0
    doctor: str = Field(description="The replier's name without a title: 'Ke Fangxu'.")
    credentials: str = ""
    specialty: str = ""
    text: str
    replied_on: date

    @property
    def byline(self) -> str:
        """The name as pages show it ("Dr." only for physician credentials)."""
        return byline(self.doctor, self.credentials)


class Consult(BaseModel):
    """A patient's question (de-identified) and its replies."""

    id: int = 0
    title: str
    question: str
    age_band: str
    sex: str
    display_name: str = Field("Anonymous", description="Shown instead of a name; 'Anonymous' by default.")
    asked_on: date
    consent: bool = Field(True, description="The patient agreed to publication.")
    state: ConsultState = ConsultState.SUBMITTED
    replies: list[Reply] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    more_info_state: MoreInfoState = MoreInfoState.NONE
    more_info_note: str = Field("", description="Why More Info is held (the contradiction found).")
    created_at: datetime | None = None


class ConsultRequest(BaseModel):
    """What a patient submits (ask form, API, import)."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=10, max_length=4000)
    age_band: str
    sex: str
    display_name: str = Field("", max_length=80)
    asked_on: date | None = None
    consent: bool = True


class SimilarConsult(BaseModel):
    """One entry of Similar Q&A."""

    id: int
    title: str
    question_snippet: str
    doctor: str
    specialty: str
    reply_snippet: str
    url: str
    score: float
    credentials: str = ""

    @property
    def byline(self) -> str:
        return byline(self.doctor, self.credentials)


class FaqTopic(BaseModel):
    """One Related FAQ topic: 'Lipoma (Plastic Surgery)'."""

    topic: str
    specialty: str
    consults_url: str
    articles_url: str


class ConsultView(BaseModel):
    """Everything a consult page or `consult show --json` shows."""

    consult: Consult
    notices: list[Notice] = Field(default_factory=list, description="Red-flag notices for the question (urgent care first).")
    more_info: Answer | None = Field(None, description="The AI-written expansion (the answer contract); None while held or not composed.")
    more_info_label: str = "More Info — written by AI from the question, the doctor's reply and the cited sources; not the doctor's words."
    similar: list[SimilarConsult] = Field(default_factory=list)
    related_faq: list[FaqTopic] = Field(default_factory=list)
