"""Server-sent events for generation progress (``ArticleService.ask_stream``).

By the type of each :mod:`curbside.events` event: ``progress`` (the plain fields of a stage, step
or duplicate: stage, message …), ``token`` (text an LLM composer is writing), then ``done`` with
the article's slug and page URL, or ``error`` with the one error shape.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from fastapi.responses import StreamingResponse

from curbside.accounts.models import User
from curbside.domain import Audience
from curbside.errors import CurbsideError
from curbside.events import ArticleReady, Token
from curbside.web.dependencies import ArticlesPort
from curbside.web.urls import view_path

log = logging.getLogger("curbside.web")


def sse(event: str, data: Any) -> str:
    """One SSE message; JSON keeps the data on one line."""
    return f"event: {event}\ndata: {json.dumps(data, default=str, ensure_ascii=False)}\n\n"


def progress_events(
    articles: ArticlesPort,
    question: str,
    *,
    audience: Audience,
    thread_id: str | None,
    user: User | None,
) -> Iterator[str]:
    yield sse("progress", {"stage": "received", "message": "Question received"})
    try:
        for event in articles.ask_stream(
            question, audience=audience, thread_id=thread_id, user=user
        ):
            if isinstance(event, ArticleReady):
                view = event.article
                yield sse(
                    "done",
                    {"slug": view.slug, "url": view_path(view), "question": view.question,
                     "removed": view.removed},
                )
                return
            if isinstance(event, Token):  # LLM output as it is written: keeps the connection lively
                yield sse("token", event.as_dict())
                continue
            yield sse("progress", _scalars(event.as_dict()))
    except CurbsideError as exc:
        yield sse("error", exc.to_dict())
        return
    except Exception:  # the stream has started: report in-band, log the cause
        log.exception("ask_stream failed")
        yield sse(
            "error",
            CurbsideError("Generation failed on our side. Try again.", retryable=True).to_dict(),
        )
        return
    yield sse(
        "error",
        CurbsideError("Generation ended without an article. Try again.", retryable=True).to_dict(),
    )


def _scalars(event: dict[str, Any]) -> dict[str, Any]:
    """The plain fields of a progress event (never a whole answer or evidence list)."""
    return {k: v for k, v in event.items() if isinstance(v, str | int | float | bool) or v is None}


def event_stream(events: Iterator[str]) -> StreamingResponse:
    return StreamingResponse(
        events,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
