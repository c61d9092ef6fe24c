"""Progress events of the answer and article pipelines: one frozen type per kind of event.

The answer service (``answer/service.py``) yields :data:`AnswerEvent`: a :class:`Stage` as each
step starts, :class:`Token` text while an LLM composer writes, and last an :class:`AnswerReady`.
The article service (``articles/service.py``) passes stages and tokens through, adds its own
:class:`Step` messages and a :class:`Duplicate` when the question was answered before, and ends
with an :class:`ArticleReady` (:data:`ArticleEvent`). The web (``web/streaming.py``) turns them into
server-sent events by type.

``as_dict()`` is an event's wire form (the fields a page receives); :func:`answer_event` reads such
a dict back. Events are read by their type and fields, not as mappings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

from curbside.domain import Answer, SearchHit

if TYPE_CHECKING:
    from curbside.articles.models import ArticleView


class _Event:
    """An event's wire form.

    A subclass names its wire tag and the fields it writes even when None in its class line:
    ``class Duplicate(_Event, event="duplicate")``, ``class AnswerReady(_Event, kept_none={"evidence"})``.
    """

    #: Fields the wire form starts with (which kind of article event it is).
    _tag: ClassVar[dict[str, str]] = {}
    #: Fields written even when None.
    _kept_none: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, *, event: str = "", kept_none: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if event:
            cls._tag = {"event": event}
        if kept_none:
            cls._kept_none = frozenset(kept_none)

    def as_dict(self) -> dict[str, Any]:
        """The tag, then every field (a field that is None is left out unless kept)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]
        return {**self._tag, **{k: v for k, v in values.items() if v is not None or k in self._kept_none}}

    def __eq__(self, other: object) -> bool:
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


@dataclass(frozen=True, eq=False)
class Step(_Event, event="progress"):
    """A step described for people (``stage`` names it, ``message`` says it)."""

    stage: str
    message: str


@dataclass(frozen=True, eq=False)
class Token(_Event):
    """Text an LLM composer has just written (shown as it comes; the answer is checked after)."""

    token: str


@dataclass(frozen=True, eq=False)
class AnswerReady(_Event, kept_none={"evidence"}):
    """The finished answer and the exact evidence it cites (None: the provider did not say)."""

    answer: Answer
    evidence: list[SearchHit] | None = None


@dataclass(frozen=True, eq=False)
class Duplicate(_Event, event="duplicate"):
    """The question was asked before: the existing article follows."""

    slug: str
    question: str


@dataclass(frozen=True, eq=False)
class ArticleReady(_Event, event="article"):
    """The article answering the question (new, or the existing one)."""

    article: ArticleView


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
