"""The progress events: their wire form, reading older dict events back, and the SSE they become."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from curbside.domain import Answer, Audience, CitedText, Intent, Provenance
from curbside.events import (
    AnswerReady,
    ArticleEvent,
    Duplicate,
    Stage,
    Step,
    Token,
    answer_event,
)

ANSWER = Answer(question="q?", title="q", audience=Audience.CLINICIAN, intent=Intent.GENERAL,
                bottom_line=CitedText(text=""), disclaimer="",
                provenance=Provenance(composer="none", composer_version="", settings_hash="", retrieval_query="q"))


def test_wire_forms_are_the_dicts_pages_receive() -> None:
    assert Stage("safety").as_dict() == {"stage": "safety"}
    assert Stage("retrieving", query="gout").as_dict() == {"stage": "retrieving", "query": "gout"}
    assert Stage("composing", composer="llm").as_dict() == {"stage": "composing", "composer": "llm"}
    assert Step("saving", "Saving").as_dict() == {"event": "progress", "stage": "saving", "message": "Saving"}
    assert Duplicate("s", "q?").as_dict() == {"event": "duplicate", "slug": "s", "question": "q?"}
    assert Token("ab").as_dict() == {"token": "ab"}
    assert AnswerReady(ANSWER).as_dict() == {"answer": ANSWER, "evidence": None}


def test_events_are_read_by_type_not_as_mappings() -> None:
    stage = Stage("retrieving", query="gout")
    assert stage == Stage("retrieving", query="gout") and stage != Stage("retrieving")
    assert Token("a") != Stage("a")
    assert stage != {"stage": "retrieving", "query": "gout"}  # the wire form is as_dict(), not the event
    with pytest.raises(TypeError):
        stage["stage"]  # type: ignore[index]


@pytest.mark.parametrize("event", [
    Stage("safety"), Stage("retrieving", query="gout"), Stage("composing", composer="llm"),
    Step("answering", "Writing"), Token("…"), AnswerReady(ANSWER, []), AnswerReady(ANSWER),
])
def test_dict_events_of_older_providers_read_back_as_typed(event: Stage | Step | Token | AnswerReady) -> None:
    typed = answer_event(event.as_dict())
    assert type(typed) is type(event) and typed == event
    assert answer_event(event) is event


def test_the_web_stream_sends_each_type_as_its_event() -> None:
    from curbside.web.streaming import progress_events

    class Articles:
        def ask_stream(self, question: str, **_: object) -> Iterator[ArticleEvent]:
            yield Step("duplicates", "Looking")
            yield Stage("retrieving", query=question)
            yield Token("Gout ")
            yield Duplicate("gout", "What is gout?")

    body = "".join(progress_events(Articles(), "gout", audience=Audience.CLINICIAN,  # type: ignore[arg-type]
                                   thread_id=None, user=None))
    sent = [(block.split("\n")[0][7:], json.loads(block.split("\n")[1][6:]))
            for block in body.strip().split("\n\n")]
    assert sent[1:5] == [("progress", {"event": "progress", "stage": "duplicates", "message": "Looking"}),
                         ("progress", {"stage": "retrieving", "query": "gout"}),
                         ("token", {"token": "Gout "}),
                         ("progress", {"event": "duplicate", "slug": "gout", "question": "What is gout?"})]
    assert sent[-1][0] == "error"  # the stream ended without an article
