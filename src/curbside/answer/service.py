"""The answer pipeline: safety gate → analysis (+ thread) → retrieval → compose → check → provenance.

``AnswerService.ask`` returns an :class:`curbside.domain.Answer`; ``ask_stream`` yields the
progress events of :mod:`curbside.events` (a ``Stage`` per step, ``Token`` while an LLM writes) and
finally an ``AnswerReady``. The service never imports a web or CLI framework.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Generator, Iterator, Sequence
from typing import Any

from curbside.answer import live, safety
from curbside.answer.audience import (
    READABILITY_METRIC,
    answer_text,
    disclaimer,
    parse_audience,
    prefer_patient_sources,
    readability_grade,
)
from curbside.answer.base import Composer, Evidence, QuestionAnalysis, StreamingComposer
from curbside.answer.citations import prune, statements
from curbside.answer.compose.titles import answer_title
from curbside.answer.compose.trim import trimmed
from curbside.answer.compose.typed import NAME as TYPED
from curbside.answer.compose.typed import (
    compose_closest,
    compose_compared,
    compose_nearest,
    compose_typed,
    partners,
    with_nearest,
)
from curbside.answer.composers import DEFAULT, make_composer
from curbside.answer.fallback import fall_back
from curbside.answer.followups import suggest, suggest_typed
from curbside.answer.select.ontopic import concepts_of
from curbside.answer.select.relevance import Assessment, assess, subject_gate
from curbside.answer.select.routing import Routed, route
from curbside.answer.threads.store import ThreadStore
from curbside.answer.understand.analysis import PriorTurn, analyze, subject_of
from curbside.answer.understand.question import Question, compared_sides, understand, with_focus_from
from curbside.domain import (
    AbstainKind,
    Answer,
    AnswerItem,
    Audience,
    CitedText,
    InfoType,
    Intent,
    Notice,
    Provenance,
    SearchFilters,
    SearchHit,
    SourceKind,
)
from curbside.errors import InputError
from curbside.events import AnswerEvent, AnswerReady, Stage, Token
from curbside.ingest.injection import instruction_rules, strip_instructions
from curbside.kb.drugs import medicines_in
from curbside.kb.infotypes import MEDICINE_TYPES
from curbside.kb.service import KnowledgeBase
from curbside.kb.synonyms import DrugNames, Focus, FocusIndex, key_of
from curbside.metrics import record_answer
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings
from curbside.text import normalize_space

MAX_QUESTION_CHARS = 4000
#: A question understood (its type and its subject) that no section about its subject answers is not
#: answered by the rule-gated composer from sentences that merely mention the subject.
STRICT_TYPED = True
_INFO_TYPES = frozenset(t.value for t in InfoType)
_CLOSEST_PASSAGES = 6  # passages a partial answer's closest statements are read from
_DEFINITIONS = 2  # extra patient-education passages that define the subject, for patient answers


class AnswerService:
    """Answers questions from a knowledge base; threads are kept in the same database."""

    def __init__(self, settings: Settings, kb: KnowledgeBase | None = None) -> None:
        self.settings = settings
        self._kb = kb
        self._threads: ThreadStore | None = None

    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            self._kb = KnowledgeBase(self.settings)
        return self._kb

    @property
    def threads(self) -> ThreadStore:
        if self._threads is None:
            self._threads = ThreadStore(self.settings.resolved_database_url)
        return self._threads

    # --- public -------------------------------------------------------------------------------

    def ask(self, question: str, *, audience: Audience | str | None = None, thread_id: str | None = None,
            composer: str | None = None) -> Answer:
        """Answer one question (a follow-up when ``thread_id`` names an existing thread)."""
        for event in self.ask_stream(question, audience=audience, thread_id=thread_id, composer=composer):
            if isinstance(event, AnswerReady):
                return event.answer
        raise RuntimeError("ask_stream ended without an answer")  # pragma: no cover

    def ask_stream(self, question: str, *, audience: Audience | str | None = None, thread_id: str | None = None,
                   composer: str | None = None) -> Iterator[AnswerEvent]:
        """Progress events, then the answer with the evidence it cites (:class:`AnswerReady`)."""
        started = time.perf_counter()
        text, who, name = self._inputs(question, audience, composer)
        yield Stage("safety")
        notices = safety.screen(text, who)
        yield Stage("analyzing")
        text = self._spelled(text, notices)
        previous = None
        if thread_id is not None:  # '' is a bad id, not 'no thread'
            self.threads.require(thread_id)
            last = self.threads.last_turn(thread_id)
            previous = last.as_prior() if last else None
        analysis = analyze(text, who, previous=previous, embedder=self.kb.embedder)
        notices.extend(safety.medication_notice(text, who, analysis.asked, notices))
        understood = self.understand(analysis)
        yield Stage("retrieving", query=analysis.retrieval_query)
        hits = self._retrieve(analysis)
        # Live PubMed evidence when pubmed.live is on and the knowledge base falls short (answer/live.py).
        hits, live_search = yield from live.augment(self.settings, self.kb, analysis, hits, self._retrieve)
        understood, routed = self._route(understood, hits, name)
        answer = live.annotate((yield from self._answer(analysis, notices, hits, name, started, understood, routed)),
                               live_search)
        if thread_id is None:
            thread_id = self.threads.create(who.value)
        self.threads.add_turn(thread_id, analysis, answer)
        used = set(answer.provenance.passage_ids)
        # The exact evidence the answer cites, with its retrieval scores (stored with article versions).
        evidence = _unique([hit for hit in [*routed.hits, *hits] if hit.passage.id in used])
        yield AnswerReady(answer.model_copy(update={"thread_id": thread_id}), evidence)

    def answer_from_hits(self, question: str, hits: Sequence[SearchHit], *, audience: Audience | str | None = None,
                         composer: str | None = None, previous: PriorTurn | None = None) -> Answer:
        """The whole pipeline on evidence given instead of retrieved (no thread is written).

        For golden tests, evaluation baselines and benchmarks: safety gate, analysis, relevance
        check, composition, citation check and provenance run exactly as in :meth:`ask`.
        """
        started = time.perf_counter()
        text, who, name = self._inputs(question, audience, composer)
        notices = safety.screen(text, who)
        text = self._spelled(text, notices)
        analysis = analyze(text, who, previous=previous, embedder=self.kb.embedder)
        notices.extend(safety.medication_notice(text, who, analysis.asked, notices))
        understood = self.understand(analysis)
        understood, routed = self._route(understood, hits, name)
        steps = self._answer(analysis, notices, list(hits), name, started, understood, routed)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                answer: Answer = done.value
                return answer

    def understand(self, analysis: QuestionAnalysis) -> Question:
        """The typed question: what it asks for and what it is about (answer/understand/question.py)."""
        return understand(analysis, self.kb.focus_index(), self._statement_embedder())

    def retrieve(self, question: str, *, audience: Audience | str | None = None) -> list[SearchHit]:
        """The passages the pipeline retrieves for ``question`` (for evaluation baselines): read as :meth:`ask`
        reads it, misspelled names as the sources spell them."""
        text, who, _name = self._inputs(question, audience, None)
        return self._retrieve(analyze(self._spelled(text, []), who, embedder=self.kb.embedder))

    # --- steps --------------------------------------------------------------------------------

    def _spelled(self, text: str, notices: list[Notice]) -> str:
        """The question with misspelled names read as the knowledge base spells them (kb/spelling.py);
        each correction is told in a notice. The safety screen has read the question as written."""
        corrected, fixes = self.kb.spelling().correct(text)
        if fixes:
            said = ", ".join(f"“{wrong}” as “{right}”" for wrong, right in fixes)
            notices.append(Notice(kind="spelling", text=f"Read {said}, as the sources spell it."))
        return corrected

    def _inputs(self, question: str, audience: Audience | str | None, composer: str | None) -> tuple[str, Audience, str]:
        text = normalize_space(question)
        if not text:
            raise InputError("The question is empty.")
        if len(text) > MAX_QUESTION_CHARS:
            raise InputError(f"The question is {len(text)} characters long; ask in at most {MAX_QUESTION_CHARS}.")
        who = parse_audience(audience, self.settings.answer.audience)
        return text, who, composer or self.settings.answer.composer or DEFAULT

    def _route(self, question: Question, hits: Sequence[SearchHit], name: str) -> tuple[Question, Routed]:
        """Section-typed evidence for the extractive composers (answer/select/routing.py); a question
        the knowledge base has no name for may take its subject from the retrieved titles."""
        question = with_focus_from(question, hits, self.kb.focus_index())
        if name != DEFAULT:
            return question, Routed([], question.asked)
        return question, route(self.kb.store, question, hits, self._statement_embedder())

    def _typed(self, question: Question, analysis: QuestionAnalysis, routed: Routed) -> Answer | None:
        """The answer from the sections that give what the question asks (compose/typed.py)."""
        evidence = [Evidence(i + 1, hit) for i, hit in enumerate(routed.hits)]
        answer = compose_typed(question, analysis, evidence, routed.types, self._statement_embedder(),
                               max_items=self.settings.answer.max_items_per_section, openers=routed.openers,
                               summary=routed.summary, common=self.kb.boilerplate())
        if answer is None:
            return None
        answer, dropped = prune(answer, evidence, verbatim=True)
        if not answer.bottom_line.text:
            return None
        update: dict[str, Any] = {"follow_ups": self._follow_ups(question, analysis, evidence)}
        if dropped:
            update["provenance"] = answer.provenance.model_copy(update={"dropped_statements": dropped})
        return answer.model_copy(update=update)

    def _follow_ups(self, question: Question, analysis: QuestionAnalysis, evidence: Sequence[Evidence]) -> list[str]:
        """What the sources about the subject that this answer quotes can answer next (answer/followups.py)."""
        focus_ids = set(question.focus.source_ids) if question.focus is not None else set()
        ids = sorted({e.hit.source.id for e in evidence if e.hit.source.id in focus_ids or not focus_ids})
        sections = {sid: {InfoType(t) for t in types if t in _INFO_TYPES}
                    for sid, types in self.kb.store.section_types(ids).items()}
        return suggest_typed(question, sections, self.kb.focus_index().kinds) or suggest(analysis, evidence)

    def _closest(self, question: Question, analysis: QuestionAnalysis, routed: Routed | None,
                 hits: Sequence[SearchHit]) -> tuple[Answer, list[SearchHit]] | None:
        """The partial answer of :func:`compose_closest` from the routed summaries and the retrieved
        passages of sources about the question's subject, with the hits it cites; None when none."""
        focus = question.focus
        if focus is None:
            return None
        on_focus = [h for h in hits if h.source.id in focus.source_ids
                    or FocusIndex.names_in(focus.names, " ".join([h.source.title, h.passage.text]))]
        pool = _unique([*(routed.hits if routed is not None else []), *on_focus])[:_CLOSEST_PASSAGES]
        pool = [h.model_copy(update={"rank": i + 1}) for i, h in enumerate(pool)]
        evidence = [Evidence(i + 1, hit) for i, hit in enumerate(pool)]
        answer = compose_closest(question, analysis, evidence, self._statement_embedder(), common=self.kb.boilerplate())
        checked = self._checked(answer, question, analysis, evidence)
        return (checked, pool) if checked is not None else None

    def _checked(self, answer: Answer | None, question: Question, analysis: QuestionAnalysis,
                 evidence: Sequence[Evidence]) -> Answer | None:
        """A composed answer with every statement checked against the passage it cites and its follow-ups; None
        when nothing of it stands."""
        if answer is None:
            return None
        answer, _dropped = prune(answer, evidence, verbatim=True)
        if not answer.bottom_line.text:
            return None
        return answer.model_copy(update={"follow_ups": self._follow_ups(question, analysis, evidence)})

    def _compared(self, question: Question, analysis: QuestionAnalysis, hits: Sequence[SearchHit],
                  sides: Sequence[Focus]) -> tuple[Answer, list[SearchHit]] | None:
        """The answer of :func:`compose_compared` from the retrieved passages about either side (a side the
        question's search found nothing of is searched for by its name), with the hits it cites; None when it
        has none."""
        pool: list[SearchHit] = []
        for side in sides:
            def on_side(hit: SearchHit, side: Focus = side) -> bool:
                return hit.source.id in side.source_ids or FocusIndex.names_in(side.names, hit.source.title)

            found = [h for h in hits if on_side(h)] or [
                h for h in self.kb.search(side.name, k=self.settings.answer.evidence_k) if on_side(h)]
            pool += found[:_CLOSEST_PASSAGES]
        pool = [h.model_copy(update={"rank": i + 1}) for i, h in enumerate(_unique(pool))]
        evidence = [Evidence(i + 1, hit) for i, hit in enumerate(pool)]
        answer = compose_compared(question, analysis, evidence, self._statement_embedder(), sides,
                                  common=self.kb.boilerplate())
        checked = self._checked(answer, question, analysis, evidence)
        return (checked, pool) if checked is not None else None

    def _unlabelled_medicine(self, question: Question) -> tuple[str, str] | None:
        """A medicine the question asks a medicine question about (its use, dose, side effects …), or
        whose name holds the question's subject ("docusate sodium" read as *sodium*), that no drug
        label or page in the knowledge base names: (its generic name, how to say it — with the name the
        question gives it, "cetirizine (Zyrtec)"); None when there is none, or when an interaction
        question's subject has a label (it answers for the pair)."""
        # what a medicine is (not a medicine type) may come from a page that says it (a page on a class
        # of medicines that names it among them)
        medicine_type = bool(question.asked) and question.asked[0] in MEDICINE_TYPES
        subject = question.focus.name if question.focus is not None else ""
        said = f" {key_of(question.text)} "
        index = self.kb.focus_index()
        if question.asked and question.asked[0] == InfoType.INTERACTIONS and question.focus is not None and any(
                index.kinds.get(sid) == SourceKind.DRUG_LABEL.value for sid in question.focus.source_ids):
            return None  # "Can I take X with Y?": X's label says what it says of Y (compose/typed.py)
        if medicine_type:
            for name in DrugNames.packaged().find(question.text):
                if not any(focus.source_ids for focus in index.find(name)):
                    return name, name
        for name, generic in medicines_in(question.text):
            medicine = key_of(name)
            inside = bool(subject) and subject != medicine and (
                f" {subject} " in f" {medicine} " or f" {medicine} {subject} " in said or f" {subject} {medicine} " in said)
            if (medicine_type or inside) and not index.covers_medicine(name, generic):
                return generic, generic if medicine == key_of(generic) else f"{generic} ({name.title()})"
        return None

    def _answer(self, analysis: QuestionAnalysis, notices: list[Notice], hits: list[SearchHit], name: str,
                started: float, question: Question | None = None,
                routed: Routed | None = None) -> Generator[AnswerEvent, None, Answer]:
        """Relevance check, compose (or abstain), citation check, follow-ups and provenance."""
        # the extractive answers may quote the top passages' closest statements (answer.nearest)
        near = hits if name == DEFAULT and self.settings.answer.nearest != "off" else []
        read = question if name == DEFAULT else None  # the statement model reads extractive statements only
        understood = question is not None and subject_gate(analysis) is None
        unlabelled = self._unlabelled_medicine(question) if understood and question is not None else None
        if unlabelled is not None:  # before any section: a page that mentions a medicine does not speak for it
            generic, said_as = unlabelled
            answer = self._abstained(analysis, (
                f"The library has no drug label for {said_as}, so curbside does not answer from pages that "
                f"only mention it. An administrator can add its FDA label with `curbside kb pull dailymed "
                f"{generic}`."), kind=AbstainKind.NO_ANSWER)
            return self._finish(answer, analysis, notices, Assessment([], None), hits, started)
        sides = compared_sides(question) if understood and name == DEFAULT and question is not None else []
        if len(sides) == 2 and question is not None and (
                analysis.intent == Intent.COMPARISON or question.asked[:1] == (InfoType.COMPARISON,)):
            # a comparison of two subjects the knowledge base names: what its sources say of both, else of each
            compared = self._compared(question, analysis, hits, sides)
            if compared is not None:
                yield Stage("checking")
                return self._finish(compared[0], analysis, notices, Assessment(compared[1], None),
                                    [*compared[1], *hits], started, near, read)
        if understood and question is not None and routed is not None and routed.hits:
            yield Stage("composing", composer=TYPED)
            typed = self._typed(question, analysis, routed)
            yield Stage("checking")
            if typed is not None:
                assessment = Assessment(evidence=list(routed.hits), best_similarity=None)
                return self._finish(typed, analysis, notices, assessment, [*routed.hits, *hits], started, near, read)
        if (understood and name == DEFAULT and question is not None and question.focus is not None and question.asked
                and not question.focus_from_titles and STRICT_TYPED):
            # understood (what it asks, what it is about) and no section about that subject gives it: the
            # statements about the subject closest to the question, said to be partial, else abstain
            closest = self._closest(question, analysis, routed, hits)
            if closest is not None:
                yield Stage("checking")
                return self._finish(closest[0], analysis, notices, Assessment(closest[1], None),
                                    [*closest[1], *hits], started, near, read)
            subject = question.narrower or question.focus.name
            others = partners(question) if question.asked[0] == InfoType.INTERACTIONS else []
            reason = (
                f"The sources about {question.focus.name} in the library say nothing of taking it with "
                f"{' or '.join(said for said, _names in others)}: no statement of their interaction sections names "
                f"it, so curbside does not answer from their other interactions. A pharmacist can check the "
                f"combination." if others else
                f"The knowledge base has sources about {question.focus.name}, but none of their sections says "
                f"what this question asks ({', '.join(t.value.replace('_', ' ') for t in question.asked)}) "
                f"about {subject}; curbside does not answer from sentences that only mention it.")
            answer = self._abstained(analysis, reason, kind=AbstainKind.NO_ANSWER)
            return self._finish(answer, analysis, notices, Assessment([], None), hits, started, near, read)
        assessment = assess(analysis, hits, self.settings.answer.min_relevance)
        evidence = [Evidence(i + 1, hit) for i, hit in enumerate(assessment.evidence)]
        if assessment.reason:
            answer = self._abstained(analysis, assessment.reason, kind=assessment.kind)
        else:
            yield Stage("composing", composer=name)
            answer, used = yield from self._compose(name, analysis, evidence)
            yield Stage("checking")
            answer, dropped = prune(answer, evidence, verbatim=used.verbatim)
            if dropped:
                answer = answer.model_copy(update={"provenance": answer.provenance.model_copy(
                    update={"dropped_statements": answer.provenance.dropped_statements + dropped})})
            if not answer.bottom_line.text and not answer.sections:
                answer = self._abstained(analysis, f"Searched the knowledge base for “{analysis.retrieval_query}”; "
                                                   "the passages found do not contain statements that answer "
                                                   "this question. The knowledge base does not cover it well "
                                                   "enough, so curbside does not answer it rather than guess.",
                                         base=answer.provenance, kind=AbstainKind.NO_ANSWER)
            else:
                answer = answer.model_copy(update={"follow_ups": suggest(analysis, evidence)})
        return self._finish(answer, analysis, notices, assessment, hits, started, near, read)

    def _retrieve(self, analysis: QuestionAnalysis) -> list[SearchHit]:
        """``evidence_k`` distinct passages (patient answers: patient education first)."""
        k = self.settings.answer.evidence_k
        query = analysis.retrieval_query or analysis.question
        spelled = self.kb.acronyms().spelled_out(query)  # "How is COPD treated?" + Pelvic Inflammatory Disease
        if spelled:
            query = f"{query} ({'; '.join(spelled)})"
        hits = _distinct(self.kb.search(query, k=k * 2), k)
        if analysis.audience == Audience.PATIENT:
            education = SearchFilters(kinds=[SourceKind.PATIENT_EDUCATION])
            patient = self.kb.search(query, k=k * 2, filters=education)
            hits = prefer_patient_sources(_distinct(patient, k), hits, k, self.settings.answer.min_relevance)
            # Plain-language explanations: the patient pages that say what the subject is.
            subject = subject_of(analysis.entities, analysis.topic)
            if subject and analysis.intent not in (Intent.GENERAL, Intent.MEANING):
                defining = self.kb.search(f"What is {subject}?", k=_DEFINITIONS, filters=education)
                hits = _distinct([*hits, *defining], k + _DEFINITIONS)
        return hits

    def _compose(self, name: str, analysis: QuestionAnalysis, evidence: Sequence[Evidence],
                 ) -> Generator[AnswerEvent, None, tuple[Answer, Composer]]:
        """Run the chosen composer (streaming its tokens); the extractive one when it cannot.
        Returns the answer and the composer that wrote it."""
        reason = ""
        chosen: Composer | None = None
        if name == "llm" and not self.settings.llm.base_url:
            reason = "composer 'llm' needs llm.base_url (CURBSIDE_LLM__BASE_URL); used the extractive composer"
        else:
            try:
                chosen = make_composer(name, self.settings, self._statement_embedder())
            except InputError:
                raise
            except Exception as exc:  # a missing module or dependency: say so, answer anyway
                reason = f"composer {name!r} is not available ({exc}); used the extractive composer"
        answer: Answer | None = None
        if chosen is not None:
            try:
                answer = yield from _run(chosen, analysis, evidence)
            except Exception as exc:
                if chosen.name == DEFAULT:
                    raise
                reason = f"composer {name!r} failed ({type(exc).__name__}: {exc}); used the extractive composer"
        if answer is None or chosen is None:
            chosen = make_composer(DEFAULT, self.settings, self._statement_embedder())
            answer = fall_back(chosen, analysis, evidence, reason)
        return answer, chosen

    def _statement_embedder(self) -> Embedder | None:
        """The packaged model scores statements against the question (the hash test embedder cannot)."""
        return None if self.settings.embedding.model == "hash" else self.kb.embedder

    def _abstained(self, analysis: QuestionAnalysis, reason: str, base: Provenance | None = None,
                   kind: AbstainKind = AbstainKind.NOT_COVERED) -> Answer:
        provenance = base or Provenance(composer="none", composer_version="", settings_hash="",
                                        retrieval_query=analysis.retrieval_query)
        return Answer(question=analysis.question, title=answer_title(analysis, concepts_of(analysis)),
                      audience=analysis.audience, intent=analysis.intent, bottom_line=CitedText(text=""),
                      disclaimer=disclaimer(analysis.audience),
                      abstained=True, abstain_reason=reason, abstain_kind=kind, provenance=provenance)

    def _finish(self, answer: Answer, analysis: QuestionAnalysis, notices: list[Notice], assessment: Assessment,
                hits: Sequence[SearchHit], started: float, near: Sequence[SearchHit] = (),
                question: Question | None = None) -> Answer:
        """Notices, provenance and metrics; with ``near`` (the retrieved hits), the closest statements of the top
        passages: added to an answer, or in place of an abstention on passages none of whose sections answers; with
        the ``question`` understood (``answer.trim``), without the statements the statement model reads as off topic."""
        answer = self._with_nearest(answer, analysis, near) if near else answer
        answer = without_injections(answer)
        if question is not None and self.settings.answer.trim:
            answer = trimmed(answer, question, self._statement_embedder())
        extra_notices = list(notices)
        if answer.uncovered and not answer.abstained:
            extra_notices.append(Notice(kind="info", text="The sources found do not cover "
                                        + ", ".join(f"“{w}”" for w in answer.uncovered)
                                        + "; the answer below covers the rest of the question."))
        for detail in assessment.uncovered:
            extra_notices.append(Notice(kind="info", text=f"None of the passages found mentions {detail}; "
                                                          "the answer below is about the topic in general."))
        merged = sorted([*extra_notices, *answer.notices], key=lambda n: not n.urgent)
        used = [p.id for ref in answer.references for p in ref.passages]
        extra = dict(answer.provenance.extra)
        extra.update({"intent": analysis.intent.value, "retrieved": str(len(hits)),
                      "evidence": str(len(assessment.evidence)), "topic": analysis.topic,
                      "readability_metric": READABILITY_METRIC})
        if assessment.best_similarity is not None:
            extra["best_similarity"] = f"{assessment.best_similarity:.3f}"
        provenance = answer.provenance.model_copy(update={
            "settings_hash": self.settings.fingerprint(), "retrieval_query": analysis.retrieval_query,
            "passage_ids": used, "latency_ms": round((time.perf_counter() - started) * 1000, 1),
            "readability_grade": None if answer.abstained else readability_grade(answer_text(answer)),
            "extra": extra,
        })
        finished = answer.model_copy(update={"notices": merged, "provenance": provenance})
        record_answer(finished, time.perf_counter() - started)
        return finished


    def _with_nearest(self, answer: Answer, analysis: QuestionAnalysis, hits: Sequence[SearchHit]) -> Answer:
        """``answer.nearest``: the closest statements of the top passages added to an answer, and in place of an
        abstention on passages that were found but none of whose sections answers (compose/typed.py); with
        ``on_subject`` only statements about what the question is about."""
        embedder, common = self._statement_embedder(), self.kb.boilerplate()
        on_subject = self.settings.answer.nearest == "on_subject"
        if not answer.abstained:
            return with_nearest(answer, analysis, hits, embedder, common=common, on_subject=on_subject)
        if answer.abstain_kind not in (AbstainKind.NO_ANSWER, AbstainKind.OFF_TOPIC):
            return answer
        return compose_nearest(answer, analysis, hits, embedder, common=common, on_subject=on_subject) or answer

def without_injections(answer: Answer) -> Answer:
    """The answer without any statement the injection filter reads as an instruction (its rules and its
    classifier, ingest/injection.py, in one batched call); a dropped bottom line is replaced by the
    first item left. Segments were already read by the rules; the classifier reads only what is shown."""
    if answer.abstained:
        return answer
    answer = _passages_without_instructions(answer)
    said = [text for _where, text, _cites in statements(answer)]
    flagged = {text for text, rule in zip(said, instruction_rules(said), strict=True) if rule is not None}
    if not flagged:
        return answer

    def keep(items: list[AnswerItem]) -> list[AnswerItem]:
        return [i.model_copy(update={"children": keep(i.children)}) for i in items if i.text not in flagged]

    sections = [s.model_copy(update={"items": keep(s.items)}) for s in answer.sections]
    sections = [s for s in sections if s.items]
    bottom = answer.bottom_line
    if bottom.text in flagged:
        first = next((s.items[0] for s in sections if s.items), None)
        bottom = CitedText(text=first.text, citations=first.citations) if first else CitedText(text="")
        if first is not None:
            sections = [s.model_copy(update={"items": [i for i in s.items if i is not first]}) for s in sections]
            sections = [s for s in sections if s.items]
    dropped = answer.provenance.dropped_statements + len(flagged)
    return answer.model_copy(update={"bottom_line": bottom, "sections": sections, "provenance": answer.provenance.model_copy(
        update={"dropped_statements": dropped})})


def _passages_without_instructions(answer: Answer) -> Answer:
    """The supporting passages of the references without their instruction sentences: the JSON answer (API,
    ``ask --format json``) shows them as the HTML article does (``render/html.py``), never a flagged sentence."""
    passages = [p for ref in answer.references for p in ref.passages]
    if not passages:
        return answer
    cleaned = dict(zip([p.id for p in passages], strip_instructions([p.text for p in passages]), strict=True))
    if all(cleaned[p.id] == p.text for p in passages):
        return answer
    references = [ref.model_copy(update={"passages": [p.model_copy(update={"text": cleaned[p.id]})
                                                      for p in ref.passages]}) for ref in answer.references]
    return answer.model_copy(update={"references": references})


def _unique(hits: Sequence[SearchHit]) -> list[SearchHit]:
    """Each passage once, first occurrence kept."""
    seen: set[str] = set()
    return [h for h in hits if not (h.passage.id in seen or seen.add(h.passage.id))]  # type: ignore[func-returns-value]


def _distinct(hits: Sequence[SearchHit], k: int) -> list[SearchHit]:
    """The first ``k`` hits whose text is not a repeat (MedQuAD repeats some answers word for word)."""
    seen: set[str] = set()
    out: list[SearchHit] = []
    for hit in hits:
        key = " ".join(hit.passage.text.lower().split())
        if key in seen:
            continue
        seen.add(key)
        out.append(hit.model_copy(update={"rank": len(out) + 1}))
        if len(out) == k:
            break
    return out


def _run(composer: Composer, analysis: QuestionAnalysis,
         evidence: Sequence[Evidence]) -> Generator[AnswerEvent, None, Answer]:
    """Compose; a composer that streams (``on_token``) runs in a worker and its tokens are yielded."""
    if not isinstance(composer, StreamingComposer) or not composer.streams:
        return composer.compose(analysis, evidence)
    tokens: queue.Queue[tuple[str, Any]] = queue.Queue()
    streaming = composer

    def work() -> None:
        try:
            answer = streaming.compose(analysis, evidence, on_token=lambda t: tokens.put(("token", t)))
            tokens.put(("answer", answer))
        except Exception as exc:
            tokens.put(("error", exc))

    threading.Thread(target=work, name=f"compose-{composer.name}", daemon=True).start()
    while True:
        kind, value = tokens.get()
        if kind == "token":
            yield Token(value)
        elif kind == "answer":
            answer: Answer = value
            return answer
        else:
            raise value
