"""The LLM composer: numbered evidence in, a verified answer out, the extractive answer on failure.

1. The prompt (``prompt.py``) numbers the evidence, names the question, the audience and the
   section headings of the intent's plan, and asks for strict JSON (a subset of the contract).
2. Any OpenAI-compatible endpoint answers (``client.py``); tokens can be streamed to a
   callback.
3. The reply is read robustly, then every statement is verified against the passages it cites
   (``verify.py``); unsupported statements are dropped and counted in the provenance.
4. The answer is built by the citation builder, so references are numbered by first citation
   and only retrieved passages can be referenced.

A timeout, an HTTP or connection error, a reply that is not a usable JSON answer, or an answer
with nothing supported left returns the extractive answer instead, with
``provenance.fallback_reason`` saying why.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from curbside.answer.audience import disclaimer
from curbside.answer.base import Composer, Evidence, QuestionAnalysis, TokenCallback
from curbside.answer.citations import number_references, validate
from curbside.answer.compose.llm.client import ChatResult, LLMClient
from curbside.answer.compose.llm.prompt import (
    ANSWER_SCHEMA,
    PROMPT_VERSION,
    Draft,
    DraftError,
    build_messages,
    parse_draft,
)
from curbside.answer.compose.titles import answer_title
from curbside.answer.fallback import extractive_composer, fall_back
from curbside.answer.select.judge import answering_evidence
from curbside.answer.select.ontopic import concepts_of
from curbside.answer.verify import VerificationReport, Verifier, verify_parts
from curbside.domain import Answer, AnswerSection, CitedText, Provenance
from curbside.errors import ConfigError, CurbsideError, UpstreamError
from curbside.retrieval.embedder import Embedder, get_embedder
from curbside.settings import Settings

log = logging.getLogger(__name__)

VERSION = f"0.1.0+{PROMPT_VERSION}"
#: Fewest words of an item that may stand in for an unsupported bottom line.
BOTTOM_LINE_MIN_WORDS = 5
#: Headings used when the intent's plan cannot be read.
FALLBACK_HEADINGS = ("Overview", "Key Points", "Important Considerations")


def plan_sections(analysis: QuestionAnalysis) -> list[tuple[str, str]]:
    """(heading, list style) of the plan for the analysis' intent and audience."""
    try:
        from curbside.answer.select.ontopic import focused_sections
        from curbside.answer.understand.analysis import subject_of, title_case
        from curbside.answer.understand.plans import plan_for

        plan = plan_for(analysis.intent, analysis.audience)
        subject = subject_of(analysis.entities, analysis.topic)
        values = {"subject": title_case(subject) if subject else ""}
        for i, name in enumerate(analysis.entities.compared[:2]):
            values[f"compared_{i}"] = title_case(name)
        return [(spec.heading_for(values), spec.style) for spec in focused_sections(plan.sections, analysis)]
    except (CurbsideError, ImportError, KeyError, ValueError) as exc:
        log.warning("No section plan for %s/%s (%s); using a minimal list",
                    analysis.intent, analysis.audience, exc)
        return [(h, "bullets") for h in FALLBACK_HEADINGS]


class LLMComposer:
    """Composer ``llm``: any OpenAI-compatible chat endpoint, verified, extractive on failure.

    ``client``, ``embedder`` and ``fallback`` may be injected (tests, the answer service);
    by default they come from the settings (a client made here lives for one answer; an
    injected one is the caller's to close). ``on_token`` receives streamed token deltas.
    """

    name = "llm"
    version = VERSION
    verbatim = False  # the LLM paraphrases; verify.py checks each statement's support instead
    streams = True

    def __init__(self, settings: Settings, *, client: LLMClient | None = None,
                 embedder: Embedder | None = None, fallback: Composer | None = None,
                 on_token: TokenCallback | None = None, max_evidence: int = 8,
                 max_passage_words: int = 120) -> None:
        self.settings = settings
        self._client = client
        self._embedder = embedder
        self._fallback = fallback
        self.on_token = on_token
        self.max_evidence = max_evidence
        self.max_passage_words = max_passage_words

    # -- collaborators ----------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        """The injected embedder, else the settings' one (loaded once per process)."""
        return self._embedder if self._embedder is not None else get_embedder(self.settings.embedding)

    @property
    def fallback(self) -> Composer:
        if self._fallback is None:
            self._fallback = extractive_composer(self.settings)
        return self._fallback

    # -- composing ---------------------------------------------------------------------------
    def compose(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence], *,
                on_token: TokenCallback | None = None) -> Answer:
        """Write, verify and build the answer; the extractive answer when that fails."""
        started = time.monotonic()
        offered = list(evidence)[: self.max_evidence]
        if not offered:
            return self._fall_back(analysis, evidence, "no evidence was retrieved to write from", started)
        # the statement gate's word checks decide which passages answer the question (select/judge.py)
        offered = answering_evidence(analysis, offered)
        if not offered:
            return self._fall_back(analysis, evidence, "no passage holds a statement about what was asked",
                                   started)
        plan = plan_sections(analysis)
        messages = build_messages(analysis, offered, [h for h, _ in plan],
                                  max_words=self.max_passage_words)
        try:
            client = self._client or LLMClient(self.settings.llm)
        except ConfigError as exc:
            return self._fall_back(analysis, evidence, f"the LLM is not configured: {exc.message}", started)
        try:
            result = client.chat(messages, json_mode=True, json_schema=ANSWER_SCHEMA,
                                 on_token=on_token or self.on_token)
        except UpstreamError as exc:
            kind = "timed out" if exc.code == "llm_timeout" else "failed"
            return self._fall_back(analysis, evidence, f"the LLM call {kind}: {exc.message}", started)
        finally:
            if client is not self._client:  # made for this answer: release its connections
                client.close()
        try:
            draft = parse_draft(result.content)
        except DraftError as exc:
            return self._fall_back(analysis, evidence, f"the LLM output was unusable: {exc}", started,
                                   extra=_llm_extra(result))
        verifier = Verifier.for_evidence(offered, self.embedder,
                                         support_threshold=self.settings.answer.support_threshold)
        styles = {heading.lower(): style for heading, style in plan}
        parts = verify_parts(draft.bottom(), draft.answer_sections(styles), verifier)
        arranged = _bottom_first(parts.bottom_line, parts.sections)
        if arranged is None:
            what = "nothing the LLM wrote" if not parts.sections else "no bottom line the LLM wrote"
            reason = (f"{what} was supported by the evidence it cited "
                      f"({parts.report.dropped} statements dropped)")
            return self._fall_back(analysis, evidence, reason, started, report=parts.report,
                                   extra=_llm_extra(result))
        answer = self._build(analysis, offered, draft, *arranged)
        problems = validate(answer, offered)
        if problems:  # cannot happen after verification; never let a broken answer through
            return self._fall_back(analysis, evidence, "the LLM answer's citations did not check out: "
                                   + "; ".join(f"{p.where}: {p.message}" for p in problems[:3]),
                                   started, report=parts.report, extra=_llm_extra(result))
        extra = {**answer.provenance.extra, **parts.report.to_extra(), **_llm_extra(result)}
        provenance = answer.provenance.model_copy(update={
            "composer": self.name, "composer_version": self.version,
            "dropped_statements": parts.report.dropped, "fallback_reason": "",
            "latency_ms": round((time.monotonic() - started) * 1000, 1), "extra": extra})
        return answer.model_copy(update={"provenance": provenance})

    def _build(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence], draft: Draft,
               bottom: CitedText, sections: list[AnswerSection]) -> Answer:
        title = answer_title(analysis, concepts_of(analysis)) or _clean_title(draft.title) or analysis.question
        follow_ups = [q.strip() for q in draft.follow_ups
                      if q.strip().endswith("?") and len(q) < 200][:3]
        return build_answer(analysis, evidence, title=title, bottom_line=bottom, sections=sections,
                            follow_ups=follow_ups, composer=self.name, composer_version=self.version)

    def _fall_back(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence], reason: str,
                   started: float, *, report: VerificationReport | None = None,
                   extra: dict[str, str] | None = None) -> Answer:
        log.info("LLM composer falls back to %s: %s", self.fallback.name, reason)
        merged = {"requested_composer": self.name, "requested_composer_version": self.version,
                  **(extra or {}), **(report.to_extra() if report is not None else {})}
        return fall_back(self.fallback, analysis, evidence, reason, extra=merged,
                         dropped=report.dropped if report else None, started=started)


def _llm_extra(result: ChatResult) -> dict[str, str]:
    extra = {"llm_model": result.model, "llm_finish_reason": result.finish_reason,
             "llm_json_mode": str(result.json_mode).lower(),
             "llm_elapsed_ms": str(round(result.elapsed_s * 1000))}
    if "completion_tokens" in result.usage:
        extra["llm_completion_tokens"] = str(result.usage["completion_tokens"])
    return extra


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    return title if 3 <= len(title) <= 150 else ""


def _bottom_first(bottom: CitedText | None, sections: list[AnswerSection],
                  ) -> tuple[CitedText, list[AnswerSection]] | None:
    """Keep the bottom line; when none of it survived, the first supported top-level item of at
    least :data:`BOTTOM_LINE_MIN_WORDS` words takes its place (None when there is none)."""
    if bottom is not None:
        return bottom, sections
    for s, section in enumerate(sections):
        for i, item in enumerate(section.items):
            if len(item.text.split()) < BOTTOM_LINE_MIN_WORDS:
                continue
            rest = section.items[:i] + item.children + section.items[i + 1:]
            kept = [*sections[:s], section.model_copy(update={"items": rest}), *sections[s + 1:]]
            return (CitedText(text=item.text, citations=item.citations),
                    [sec for sec in kept if sec.items])
    return None


def build_answer(analysis: QuestionAnalysis, evidence: Sequence[Evidence], *, title: str,
                 bottom_line: CitedText, sections: list[AnswerSection], follow_ups: list[str],
                 composer: str, composer_version: str) -> Answer:
    """The answer from verified parts citing evidence numbers, through the citation builder."""
    draft = Answer(question=analysis.question, title=title, audience=analysis.audience,
                   intent=analysis.intent, bottom_line=bottom_line, sections=sections,
                   disclaimer=disclaimer(analysis.audience), follow_ups=follow_ups,
                   provenance=Provenance(composer=composer, composer_version=composer_version,
                                         settings_hash="", retrieval_query=analysis.retrieval_query))
    return number_references(draft, evidence)
