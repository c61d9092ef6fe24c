"""The composer protocol and the question analysis every composer receives.

A composer turns a question analysis and numbered evidence (retrieved passages) into an
:class:`curbside.domain.Answer`. Composers cite evidence by its number; the citation builder
(``answer/citations.py``) renumbers references in order of first citation and refuses anything
that was not retrieved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel, Field

from curbside.domain import Answer, Audience, Intent, SearchHit


class Entities(BaseModel):
    finding: str = ""
    anatomy: str = ""
    laterality: str = ""
    condition: str = ""
    test: str = ""
    population: str = ""
    drug: str = ""
    compared: list[str] = Field(default_factory=list)


class QuestionAnalysis(BaseModel):
    question: str
    intent: Intent
    audience: Audience
    entities: Entities = Field(default_factory=Entities)
    topic: str = Field("", description="The subject in a few words ('soft tissue calcification').")
    title: str = ""
    retrieval_query: str = Field("", description="What is sent to retrieval (a follow-up is resolved against its thread).")


@dataclass(frozen=True)
class Evidence:
    """One retrieved passage offered to a composer, numbered from 1 in retrieval order."""

    number: int
    hit: SearchHit


class Composer(Protocol):
    name: str
    version: str

    def compose(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence]) -> Answer:
        """Write the answer; every statement cites evidence numbers it came from."""
        ...
