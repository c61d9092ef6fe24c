"""What articles need of the answer service: :class:`AnswerProvider` (``AnswerService`` is one).

An article is written from a streamed answer (progress events, then the answer and the exact
evidence it cites) and, once approved, goes into the provider's own knowledge base. A provider
that only answers whole questions (:class:`WholeAnswerProvider`, e.g. a test double) is adapted by
:class:`WholeAnswers`: one progress step, then the answer without evidence (the article then keeps
the cited passages as stored).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from curbside.domain import Answer, Audience
from curbside.events import AnswerEvent, AnswerReady, Step
from curbside.kb.service import KnowledgeBase


class WholeAnswerProvider(Protocol):
    """Answers a question whole, from its knowledge base."""

    @property
    def kb(self) -> KnowledgeBase: ...

    def ask(self, question: str, *, audience: Audience = ...,
            thread_id: str | None = None) -> Answer: ...


@runtime_checkable
class AnswerProvider(WholeAnswerProvider, Protocol):
    """Also streams: :mod:`curbside.events` progress, ending with :class:`AnswerReady`."""

    def ask_stream(self, question: str, *, audience: Audience = ...,
                   thread_id: str | None = None) -> Iterator[AnswerEvent]: ...


class WholeAnswers:
    """An :class:`AnswerProvider` around a provider that only answers whole questions."""

    def __init__(self, provider: WholeAnswerProvider) -> None:
        self.provider = provider

    @property
    def kb(self) -> KnowledgeBase:
        return self.provider.kb

    def ask(self, question: str, *, audience: Audience = Audience.CLINICIAN,
            thread_id: str | None = None) -> Answer:
        return self.provider.ask(question, audience=audience, thread_id=thread_id)

    def ask_stream(self, question: str, *, audience: Audience = Audience.CLINICIAN,
                   thread_id: str | None = None) -> Iterator[AnswerEvent]:
        yield Step("answering", "Searching the evidence and writing the answer")
        yield AnswerReady(self.ask(question, audience=audience, thread_id=thread_id), None)


def as_provider(provider: AnswerProvider | WholeAnswerProvider) -> AnswerProvider:
    """``provider`` itself when it streams, else adapted by :class:`WholeAnswers`."""
    return provider if isinstance(provider, AnswerProvider) else WholeAnswers(provider)
