"""Typed request parameters shared by the API and the pages, bounded so bad input is a 422.

Database ids and lock versions are 64-bit: a larger integer must be refused at the edge, never
reach the driver (``OverflowError``, a 500); the bound is the largest integer every JSON client
holds exactly, so the schema's maximum means what it says. Audiences a request may name are the two an article
is written for (``both`` is a knowledge-base tag, not a variant).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import Form, Path, Query

from curbside.domain import Audience

#: Largest id or lock version accepted: the largest integer JSON clients hold exactly (2**53 - 1,
#: JavaScript's MAX_SAFE_INTEGER), well inside the database's 64 bits.
MAX_ROW_ID = 2**53 - 1
#: Thread ids are the short codes the answer service hands out.
THREAD_ID_PATTERN = r"^[A-Za-z0-9_-]{1,40}$"


class ArticleAudience(StrEnum):
    """Who an article variant is written for."""

    CLINICIAN = "clinician"
    PATIENT = "patient"

    @property
    def audience(self) -> Audience:
        return Audience(self.value)


def audience_of(value: ArticleAudience | None) -> Audience | None:
    return value.audience if value is not None else None


VersionIdPath = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="A version id.")]
ConsultIdPath = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="A consult id.")]
VersionIdQuery = Annotated[int, Query(ge=1, le=MAX_ROW_ID)]
OptionalVersionIdQuery = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]
LockVersionForm = Annotated[int, Form(ge=0, le=MAX_ROW_ID)]
