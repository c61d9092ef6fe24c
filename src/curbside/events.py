"""Progress events of the answer and article pipelines: one frozen type per kind of event.

The answer service (``answer/service.py``) yields :data:`AnswerEvent`: a :class:`Stage` as each
step starts, :class:`Token` text while an LLM composer writes, and last an :class:`AnswerReady`.
The article service (``articles/service.py``) passes stages and tokens through, adds its own
:class:`Step` messages and a :class:`Duplicate` when the question was answered before, and ends
with an :class:`ArticleReady` (:data:`ArticleEvent`). The web (``web/streaming.py``) turns them into
server-sent events by type.

``as_dict()`` is an event's wire form (the fields a page receives). Events can also be read like
that mapping (``event["stage"]``, ``"token" in event``, equality with a dict), for callers written
against the dict events of earlier versions; :func:`answer_event` reads such a dict back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from curbside.domain import Answer, SearchHit

if TYPE_CHECKING:
    from curbside.articles.models import ArticleView


class _Event:
    """An event's wire form, and read access to it as a mapping."""

    def as_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    def __getitem__(self, key: str) -> Any:
        return self.as_dict()[key]

    def __contains__(self, key: object) -> bool:
        return key in self.as_dict()

    def __iter__(self) -> Iterator[str]:
        return iter(self.as_dict())

    def get(self, key: str, default: Any = None) -> Any:
        return self.as_dict().get(key, default)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self.as_dict() == dict(other)
        if type(other) is type(self):
            return self.as_dict() == other.as_dict()  # type: ignore[attr-defined]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, eq=False)
class Stage(_Event):
    """The answer pipeline starts a stage: ``safety``, ``analyzing``, ``retrieving`` (with the
    query sent to retrieval), ``composing`` (with the composer's name) or ``checking``."""

    stage: str
    query: str | None = None
    composer: str | None = None

    def as_dict(self) -> dict[str, Any]:
        extra = {k: v for k, v in (("query", self.query), ("composer", self.composer)) if v is not None}
        return {"stage": self.stage, **extra}


@dataclass(frozen=True, eq=False)
class Step(_Event):
    """A step described for people (``stage`` names it, ``message`` says it)."""

    stage: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"event": "progress", "stage": self.stage, "message": self.message}


@dataclass(frozen=True, eq=False)
class Token(_Event):
    """Text an LLM composer has just written (shown as it comes; the answer is checked after)."""

    token: str

    def as_dict(self) -> dict[str, Any]:
        return {"token": self.token}


@dataclass(frozen=True, eq=False)
class AnswerReady(_Event):
    """The finished answer and the exact evidence it cites (None: the provider did not say)."""

    answer: Answer
    evidence: list[SearchHit] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"answer": self.answer, "evidence": self.evidence}


@dataclass(frozen=True, eq=False)
class Duplicate(_Event):
    """The question was asked before: the existing article follows."""

    slug: str
    question: str

    def as_dict(self) -> dict[str, Any]:
        return {"event": "duplicate", "slug": self.slug, "question": self.question}


@dataclass(frozen=True, eq=False)
class ArticleReady(_Event):
    """The article answering the question (new, or the existing one)."""

    article: ArticleView

    def as_dict(self) -> dict[str, Any]:
        return {"event": "article", "article": self.article}


AnswerEvent = Stage | Step | Token | AnswerReady
ArticleEvent = Stage | Step | Token | Duplicate | ArticleReady


def answer_event(event: AnswerEvent | Mapping[str, Any]) -> AnswerEvent:
    """The typed event; a dict in the earlier wire form (from an older provider) is read back."""
    if isinstance(event, Stage | Step | Token | AnswerReady):
        return event
    if isinstance(event.get("answer"), Answer):
        evidence = event.get("evidence")
        return AnswerReady(event["answer"], list(evidence) if evidence is not None else None)
    if "token" in event:
        return Token(str(event["token"]))
    if event.get("event") == "progress":
        return Step(str(event.get("stage", "")), str(event.get("message", "")))
    query, composer = event.get("query"), event.get("composer")
    return Stage(str(event.get("stage", "")), query=None if query is None else str(query),
                 composer=None if composer is None else str(composer))
