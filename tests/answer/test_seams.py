"""The seams callers use: the Composer protocols, the one extractive fallback, AnswerProvider."""

from __future__ import annotations

import time
from collections.abc import Iterator

from curbside.answer.base import Composer, Evidence, QuestionAnalysis, StreamingComposer, streams
from curbside.answer.compose.extractive import ExtractiveComposer
from curbside.answer.compose.llm.composer import LLMComposer
from curbside.answer.composers import make_composer
from curbside.answer.fallback import extractive_composer, fall_back
from curbside.answer.service import AnswerService
from curbside.articles.answers import AnswerProvider, WholeAnswers, as_provider
from curbside.domain import Answer, Audience, CitedText, Intent, Provenance, SearchHit
from curbside.events import AnswerReady, Step
from curbside.kb.service import KnowledgeBase
from curbside.settings import Settings


def test_composers_declare_what_callers_use(settings: Settings) -> None:
    extractive, llm = make_composer("extractive", settings), make_composer("llm", settings)
    assert isinstance(extractive, ExtractiveComposer) and isinstance(llm, LLMComposer)
    assert extractive.verbatim is True and llm.verbatim is False
    assert not streams(extractive) and not isinstance(extractive, StreamingComposer)
    assert streams(llm) and isinstance(llm, StreamingComposer)
    assert isinstance(extractive_composer(settings), ExtractiveComposer)


class _Fixed:
    """A composer whose answer is fixed (to see what the fallback adds)."""

    name, version, verbatim = "fixed", "1", True

    def compose(self, analysis: QuestionAnalysis, evidence: list[Evidence]) -> Answer:
        return Answer(question=analysis.question, title="t", audience=analysis.audience,
                      intent=analysis.intent, bottom_line=CitedText(text="x"), disclaimer="",
                      provenance=Provenance(composer=self.name, composer_version="1", settings_hash="",
                                            retrieval_query="", dropped_statements=1,
                                            extra={"own": "kept"}))


def test_fall_back_records_why_and_what_the_caller_knows() -> None:
    analysis = QuestionAnalysis(question="q?", intent=Intent.GENERAL, audience=Audience.CLINICIAN)
    composer: Composer = _Fixed()
    plain = fall_back(composer, analysis, [], "composer 'x' failed").provenance
    assert (plain.fallback_reason, plain.extra, plain.dropped_statements, plain.latency_ms) == (
        "composer 'x' failed", {"own": "kept"}, 1, 0.0)
    full = fall_back(composer, analysis, [], "why", extra={"requested_composer": "llm"}, dropped=4,
                     started=time.monotonic()).provenance
    assert full.extra == {"own": "kept", "requested_composer": "llm"} and full.dropped_statements == 4
    assert full.composer == "fixed" and full.latency_ms >= 0.0


class _Whole:
    def __init__(self, kb: KnowledgeBase, answer: Answer) -> None:
        self.kb, self.answer = kb, answer

    def ask(self, question: str, *, audience: Audience = Audience.CLINICIAN,
            thread_id: str | None = None) -> Answer:
        return self.answer


def test_answer_providers_stream_or_are_adapted(settings: Settings) -> None:
    kb = KnowledgeBase(settings)
    service = AnswerService(settings, kb=kb)
    assert isinstance(service, AnswerProvider) and as_provider(service) is service
    answer = _Fixed().compose(QuestionAnalysis(question="q?", intent=Intent.GENERAL,
                                               audience=Audience.CLINICIAN), [])
    whole = as_provider(_Whole(kb, answer))
    assert isinstance(whole, WholeAnswers) and whole.kb is kb
    events: Iterator[object] = whole.ask_stream("q?")
    assert list(events) == [Step("answering", "Searching the evidence and writing the answer"),
                            AnswerReady(answer, None)]
    hits: list[SearchHit] = []
    assert AnswerReady(answer, hits) != AnswerReady(answer, None)
