"""The composer protocol and the question analysis every composer receives.

A composer turns a question analysis and numbered evidence (retrieved passages) into an
:class:`curbside.domain.Answer`. Composers cite evidence by its number; the citation builder
(``answer/citations.py``) renumbers references in order of first citation and refuses anything
that was not retrieved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, Field

from curbside.domain import Answer, Audience, InfoType, Intent, SearchHit


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
    in_thread: bool = Field(False, description="Asked after an earlier turn of a thread (not a first question).",
                            exclude=True)
    asked: tuple[InfoType, ...] = Field((), description="What it asks for, as the question-type classifier reads "
                                                        "it (most likely first; empty when it is unsure).")


@dataclass(frozen=True)
class Evidence:
    """One retrieved passage offered to a composer, numbered from 1 in retrieval order."""

    number: int
    hit: SearchHit


#: Receives text as a composer writes it (streamed LLM output).
TokenCallback = Callable[[str], None]


class Composer(Protocol):
    """Writes an answer from numbered evidence (registered by name in ``composers.py``)."""

    name: str
    version: str
    #: Every statement is quoted from a cited passage: the citation check then also checks the
    #: words (``citations.prune(..., verbatim=True)``). False for composers that paraphrase.
    verbatim: bool

    def compose(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence]) -> Answer:
        """Write the answer; every statement cites evidence numbers it came from."""
        ...


@runtime_checkable
class StreamingComposer(Composer, Protocol):
    """A composer that can report its text as it writes it (the answer service streams it)."""

    #: True when ``compose`` calls ``on_token`` with text as it is written.
    streams: bool

    def compose(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence], *,
                on_token: TokenCallback | None = None) -> Answer:
        """As :meth:`Composer.compose`; ``on_token`` receives the text while it is written."""
        ...


def streams(composer: Composer) -> bool:
    """Whether ``composer`` reports its text as it writes it."""
    return isinstance(composer, StreamingComposer) and composer.streams
