"""The one fallback: when the chosen composer cannot answer, the extractive composer does.

The answer service falls back when a composer is not configured, not installed or raises; the
LLM composer falls back when the LLM call fails, its output is unusable or nothing it wrote is
supported. Either way :func:`fall_back` composes the extractive answer and records why in
``provenance.fallback_reason`` (with what else the caller knows in ``provenance.extra``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from curbside.answer.base import Composer, Evidence, QuestionAnalysis
from curbside.domain import Answer
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings


def extractive_composer(settings: Settings, embedder: Embedder | None = None) -> Composer:
    """The extractive composer: the default, and every other composer's fallback (``embedder``
    scores statements against the question; None without semantic scoring)."""
    from curbside.answer.compose.extractive import ExtractiveComposer  # on first use: composers load lazily

    return ExtractiveComposer(settings.answer, embedder)


def fall_back(composer: Composer, analysis: QuestionAnalysis, evidence: Sequence[Evidence], reason: str, *,
              extra: Mapping[str, str] | None = None, dropped: int | None = None,
              started: float | None = None) -> Answer:
    """``composer``'s answer standing in for another's; ``reason`` says why.

    ``extra`` joins ``provenance.extra``; ``dropped`` (statements the failed composer dropped)
    replaces ``dropped_statements``; ``started`` (a ``time.monotonic()`` value) sets the latency.
    """
    answer = composer.compose(analysis, evidence)
    update: dict[str, Any] = {"fallback_reason": reason}
    if extra is not None:
        update["extra"] = {**answer.provenance.extra, **extra}
    if dropped is not None:
        update["dropped_statements"] = dropped
    if started is not None:
        update["latency_ms"] = round((time.monotonic() - started) * 1000, 1)
    return answer.model_copy(update={"provenance": answer.provenance.model_copy(update=update)})
