"""The extractive composer: an article built only from sentences of the retrieved passages.

No model writes anything. For the question's plan (intent × audience) it picks, per section, the
sentences that fit the section (cue words, the passage's heading) and the question (weighted term
overlap), weighted by the passage's retrieval rank; drops near-duplicates; keeps sentences whole;
nests a passage's further sentences under its first, and list items under their introduction.
The management algorithm is built only from sentences that state a condition and an action, split
into their own if-clause and then-clause. Every item cites the passage it was quoted from, so the
answer is grounded by construction; ``citations.validate(..., verbatim=True)`` checks exactly that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from curbside.answer.audience import disclaimer
from curbside.answer.base import Evidence, QuestionAnalysis
from curbside.answer.citations import number_references
from curbside.answer.compose.titles import answer_title
from curbside.answer.select.judge import embed_candidates, word_checked
from curbside.answer.select.ontopic import Concepts, focused_sections, says_what_it_causes
from curbside.answer.select.segments import rules as segment_rules
from curbside.answer.select.units import Unit, build_units, lexicon
from curbside.answer.understand.analysis import focus_terms, subject_of, title_case
from curbside.answer.understand.plans import AudiencePlan, SectionSpec, heading_matches, plan_for
from curbside.answer.understand.terms import concept_stems, jaccard, stem_set
from curbside.domain import Answer, AnswerItem, AnswerSection, Audience, CitedText, InfoType, Intent, Provenance
from curbside.kb.infotypes import GIVES_FLOOR, type_model
from curbside.kb.infotypes import usable_with as types_usable_with
from curbside.retrieval.embedder import Embedder
from curbside.settings import AnswerSettings

NAME = "extractive"
VERSION = "2.0"
_DUPLICATE = 0.6  # token Jaccard at which two statements say the same thing
_SAME_TEXT = 0.85  # … and at which another source's copy becomes an extra citation
_PARAPHRASE = 0.9  # embedding cosine at which two statements say the same thing in other words
_MIN_SCORE = 0.12
_MAX_CHILDREN = 4
_SECOND_PERSON_FACTOR = 0.75
_SIMILARITY_WEIGHT = 0.6  # of the statement's cosine to the question, in the bottom line's score
_SAME_SOURCE_DECAY = 0.8  # each further item from one passage in a section counts this much less
_NEAR = 2  # sentences at most this far apart in a passage are nested under the first
#: Passage headings whose conditional sentences are about what to do.
_ACTION_HEADINGS = ("treatment", "diagnosis", "prevention", "considerations", "conclusions")


def _length_factor(words: int) -> float:
    if words < 7:
        return 0.8
    if words > 45:
        return 0.75
    if words > 32:
        return 0.9
    return 1.0


@dataclass
class _Picked:
    unit: Unit
    score: float
    citations: list[int] = field(default_factory=list)


class _Selection:
    """What has been quoted so far: segments used and statements said (for diversity)."""

    def __init__(self) -> None:
        self.used: set[tuple[int, int]] = set()
        self.said: list[tuple[frozenset[str], _Picked | None, str]] = []

    def free(self, unit: Unit) -> bool:
        return not any((unit.evidence, i) in self.used for i in unit.covers)

    def duplicate_of(self, unit: Unit) -> tuple[bool, _Picked | None]:
        for stems, picked, source_id in self.said:
            similarity = jaccard(unit.stems, stems)
            if (picked is not None and unit.vector is not None and picked.unit.vector is not None
                    and float(unit.vector @ picked.unit.vector) >= _PARAPHRASE):
                similarity = max(similarity, _SAME_TEXT)  # the same statement in other words
            if similarity >= _DUPLICATE:
                if picked is not None and similarity >= _SAME_TEXT and source_id != unit.source_id:
                    return True, picked
                return True, None
        return False, None

    def take(self, unit: Unit, picked: _Picked | None) -> None:
        self.used.update((unit.evidence, i) for i in unit.covers)
        self.said.append((unit.stems, picked, unit.source_id))


class ExtractiveComposer:
    """Compose from evidence sentences only (the default composer; no model, no network)."""

    name = NAME
    version = VERSION
    verbatim = True  # every statement is a quotation of a cited passage

    def __init__(self, settings: AnswerSettings | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings or AnswerSettings()
        self.embedder = embedder

    # --- precision: only statements about the question ------------------------------------

    def _judge(self, analysis: QuestionAnalysis, units: list[Unit]) -> Concepts:
        """Mark each unit on or off topic: the word checks, then the similarity floors on what passed them."""
        concepts, candidates = word_checked(analysis, units)
        if self.embedder is None or not candidates:
            return concepts
        _query, vectors = embed_candidates(self.embedder, analysis, concepts, candidates)
        readings = type_model().read(vectors) if types_usable_with(self.embedder) else [None] * len(candidates)
        for unit, reading in zip(candidates, readings, strict=True):
            unit.on_topic = (unit.similarity or 0.0) >= concepts.min_similarity
            unit.gives = reading
        return concepts

    # --- the article ----------------------------------------------------------------------

    def compose(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence]) -> Answer:
        plan = plan_for(analysis.intent, analysis.audience)
        focus = focus_terms(analysis)
        patient = analysis.audience == Audience.PATIENT
        units = build_units(evidence, focus, patient=patient)
        concepts = self._judge(analysis, units)
        units = [u for u in units if u.on_topic]
        plan = replace(plan, sections=focused_sections(plan.sections, analysis))
        if not patient:  # clinician articles are not written to "you"
            for unit in units:
                if unit.second_person:
                    unit.strength *= _SECOND_PERSON_FACTOR
        chosen = _Selection()
        compared = [stem_set(c) for c in analysis.entities.compared if stem_set(c)]
        bottom = self._bottom_line(units, plan, chosen, focus.head, compared, concepts)
        values = self._heading_values(analysis)
        if bottom is None:  # nothing answers the question: no article (the service abstains)
            units = []
        sections: list[AnswerSection] = []
        picks: dict[str, list[_Picked]] = {}
        for spec in plan.sections:
            if spec.kind == "algorithm":
                picks[spec.key] = self._algorithm(units, spec, chosen)
        text_specs = [s for s in plan.sections if s.kind == "text"]
        picks.update(self._fill_text_sections(units, text_specs, analysis, concepts, chosen))
        for spec in plan.sections:
            if spec.kind == "definitions":
                picks[spec.key] = self._definitions(units, spec, chosen, bottom, picks, analysis)
        _corroborate(units, chosen)
        for spec in plan.sections:
            picked = picks.get(spec.key, [])
            if len(picked) < spec.min_items or not picked:
                continue
            sections.append(AnswerSection(heading=spec.heading_for(values), style=spec.style,
                                          items=self._items(spec, picked)))
        draft = Answer(
            question=analysis.question, title=answer_title(analysis, concepts), audience=analysis.audience,
            intent=analysis.intent,
            bottom_line=CitedText(text=bottom.unit.text if bottom else "",
                                  citations=bottom.citations if bottom else []),
            sections=sections, disclaimer=disclaimer(analysis.audience),
            provenance=Provenance(composer=self.name, composer_version=self.version, settings_hash="",
                                  retrieval_query=analysis.retrieval_query),
        )
        said = [concept_stems(" ".join([p.unit.low, p.unit.title])) for p in [bottom, *_all(picks)] if p is not None]
        if bottom is not None:  # partial coverage: say which of the question's words no statement meets
            draft.uncovered = concepts.missing(said)
        return number_references(draft, evidence)

    @staticmethod
    def _heading_values(analysis: QuestionAnalysis) -> dict[str, str]:
        values = {"subject": title_case(subject_of(analysis.entities, analysis.topic))}
        for i, item in enumerate(analysis.entities.compared[:2]):
            values[f"compared_{i}"] = title_case(item)
        return values

    def _cap(self, spec: SectionSpec) -> int:
        return max(1, min(spec.max_items, self.settings.max_items_per_section))

    # --- bottom line ----------------------------------------------------------------------

    def _bottom_line(self, units: list[Unit], plan: AudiencePlan, chosen: _Selection, head: frozenset[str],
                     compared: list[frozenset[str]], concepts: Concepts) -> _Picked | None:
        lex = lexicon()
        best: tuple[float, Unit] | None = None
        pool = [u for u in units if u.kind == "sentence" and not u.text.endswith(":")
                and (u.similarity is None or u.similarity >= concepts.min_similarity_bottom)]
        if any(not u.leans for u in pool):  # read alone, it names what the question is about
            pool = [u for u in pool if not u.leans]
        types = plan.bottom_line_types
        if types and analysis_intent_specific(plan) and any(_says(u, types) for u in pool):
            # the intent asks something particular (causes, treatment …): the bottom line says it
            pool = [u for u in pool if _says(u, types)]
        if any(u.relevance > 0 for u in pool):  # it names the subject, or its passage is about it and it fits
            pool = [u for u in pool if u.relevance > 0 or (u.passage_relevance >= 0.5 and _says(u, types))]
        for unit in pool:
            cue = _plan_cue(unit, types)
            headed = 1.0 if heading_matches(plan.bottom_line_headings, list(unit.headings), unit.section_type) else 0.0
            rank = 1.0 / (1.0 + 0.05 * (unit.rank - 1))  # gentler than in sections: the best sentence may sit lower
            score = ((0.4 * unit.relevance + 0.15 * unit.passage_relevance + 0.2 * cue + 0.15 * headed
                      + _SIMILARITY_WEIGHT * (unit.similarity or 0.0))
                     * rank * unit.source_weight * _length_factor(unit.words))
            if unit.second_person and plan.audience != Audience.PATIENT:
                score *= _SECOND_PERSON_FACTOR
            if unit.first_in_passage:
                score *= 1.08
            if plan.bottom_line_definition and unit.term and (stem_set(unit.term) & head or head <= unit.stems):
                score *= 1.5  # "X is …" answers "what is X" and "what does X mean"
            if plan.bottom_line_enumeration and _says(unit, types) and unit.text.count(",") >= 3:
                score *= 1.3  # "Symptoms may include a, b, c and d" answers "what are the symptoms"
            if compared and all(c <= unit.stems for c in compared):
                score *= 1.3  # a comparison is answered by a sentence naming both
            if any(p.search(unit.low) for p in lex.general):
                score *= 1.08
            if any(p.search(unit.low) for p in lex.continuation):
                score *= 0.85
            if unit.condition is not None:
                score *= 0.8  # "For patients who …, …": a branch of the algorithm, not the answer
            if unit.text[:1].isdigit():
                score *= 0.7  # "82 patients had …": a study's result, not the answer
            if best is None or score > best[0]:
                best = (score, unit)
        if best is None:
            return None
        unit = best[1]
        if unit.words < 18 and unit.next_text:
            nxt = next((u for u in units if u.evidence == unit.evidence and u.text == unit.next_text), None)
            if nxt is not None:
                joined = Unit(**{**unit.__dict__, "text": f"{unit.text} {nxt.text}",
                                 "stems": unit.stems | nxt.stems, "covers": unit.covers + nxt.covers})
                unit = joined
        picked = _Picked(unit, best[0], [unit.evidence])
        chosen.take(unit, picked)
        return picked

    # --- sections -------------------------------------------------------------------------

    @staticmethod
    def _fit(unit: Unit, spec: SectionSpec) -> float:
        cue_hits = sum(1 for p in spec.cues if p.search(unit.low))
        head = heading_matches(spec.headings, list(unit.headings), unit.section_type) if spec.headings else False
        if spec.require == "cue" and not cue_hits:
            return 0.0
        if any(p.search(unit.low) for p in spec.exclude):
            return 0.0
        if spec.require == "heading" and not head:
            return 0.0
        if spec.require == "either" and not (cue_hits or head):
            return 0.0
        cue_fit = min(1.0, cue_hits / 2)
        fit = 0.55 * cue_fit + 0.45 * (1.0 if head else 0.0) + (0.15 if cue_hits and head else 0.0)
        return max(fit, 0.5) if spec.require == "none" else min(fit, 1.0)

    @staticmethod
    def _score(unit: Unit, fit: float) -> float:
        relevance = max(unit.relevance, 0.45 * unit.passage_relevance)
        similarity = 0.5 if unit.similarity is None else unit.similarity
        return (fit * (0.3 + 0.3 * relevance + 0.15 * unit.strength + 0.5 * similarity) * unit.strength
                * _length_factor(unit.words))

    def _fill_text_sections(self, units: list[Unit], specs: list[SectionSpec], analysis: QuestionAnalysis,
                            concepts: Concepts, chosen: _Selection) -> dict[str, list[_Picked]]:
        """Give each unit to the section it fits best; then each section keeps its best few."""
        candidates: dict[str, list[tuple[float, Unit]]] = {s.key: [] for s in specs}
        compared = [stem_set(c) for c in analysis.entities.compared]
        for unit in units:
            if (not chosen.free(unit) or (unit.relevance == 0 and unit.passage_relevance < 0.34)
                    or (unit.kind == "sentence" and unit.words < segment_rules().item_min_words)):
                continue
            best: tuple[float, str] | None = None
            effect = says_what_it_causes(unit.text, concepts)
            allowed = [spec for spec in specs
                       if (spec.focus is None or (spec.focus < len(compared)
                                                  and compared[spec.focus] <= unit.stems | _passage_stems(unit)))
                       and (spec.effects or not effect)]
            # What the sentence says decides first: when it has a section's cue words, only
            # sections whose cues it has are candidates (a medication sentence under the passage
            # heading "Who is at risk" goes to treatment, not to risk).
            said = [spec for spec in allowed if spec.cues and any(p.search(unit.low) for p in spec.cues)]
            for spec in said or allowed:
                fit = self._fit(unit, spec)
                if fit <= 0:
                    continue
                score = self._score(unit, fit)
                if best is None or score > best[0] + 1e-9:
                    best = (score, spec.key)
            if best and best[0] >= _MIN_SCORE:
                candidates[best[1]].append((best[0], unit))
        out: dict[str, list[_Picked]] = {}
        for spec in specs:
            out[spec.key] = self._pick(sorted(candidates[spec.key], key=lambda c: -c[0]), self._cap(spec), chosen)
        return out

    def _pick(self, ranked: list[tuple[float, Unit]], cap: int, chosen: _Selection) -> list[_Picked]:
        """Best first, each further item from a passage already quoted discounted (several sources)."""
        picked: list[_Picked] = []
        pool = list(ranked)
        per_source: dict[int, int] = {}
        while pool and len(picked) < cap:
            at = max(range(len(pool)),
                     key=lambda i: pool[i][0] * _SAME_SOURCE_DECAY ** per_source.get(pool[i][1].evidence, 0))
            score, unit = pool.pop(at)
            if not chosen.free(unit):
                continue
            duplicate, same = chosen.duplicate_of(unit)
            if duplicate:
                if same is not None and unit.evidence not in same.citations:
                    same.citations.append(unit.evidence)
                continue
            item = _Picked(unit, score, [unit.evidence])
            chosen.take(unit, item)
            picked.append(item)
            per_source[unit.evidence] = per_source.get(unit.evidence, 0) + 1
        return picked

    def _algorithm(self, units: list[Unit], spec: SectionSpec, chosen: _Selection) -> list[_Picked]:
        ranked = []
        for unit in units:
            if unit.condition is None or not chosen.free(unit):
                continue
            on_point = unit.relevance > 0 or heading_matches(_ACTION_HEADINGS, list(unit.headings), unit.section_type)
            if not on_point or unit.passage_relevance < 0.34:
                continue
            fit = self._fit(unit, spec)
            if fit > 0:
                ranked.append((self._score(unit, fit), unit))
        ranked.sort(key=lambda c: -c[0])
        trial = _Selection()
        trial.used, trial.said = set(chosen.used), list(chosen.said)
        picked = self._pick(ranked, self._cap(spec), trial)
        if len(picked) < spec.min_items:
            return []  # not enough conditions in the evidence: leave the section out
        chosen.used, chosen.said = trial.used, trial.said
        return sorted(picked, key=lambda p: (p.unit.rank, p.unit.position))

    def _definitions(self, units: list[Unit], spec: SectionSpec, chosen: _Selection, bottom: _Picked | None,
                     picks: dict[str, list[_Picked]], analysis: QuestionAnalysis) -> list[_Picked]:
        """Sentences that explain a term the answer uses, preferring patient-education sources."""
        said = [bottom.unit.low] if bottom else []
        for picked in picks.values():
            said.extend(p.unit.low for p in picked)
        answer_stems = stem_set(" ".join([*said, analysis.question]))
        ranked = []
        terms_seen: set[str] = set()
        for unit in units:
            if not unit.term or not chosen.free(unit):
                continue
            term_stems = stem_set(unit.term)
            if not term_stems or not term_stems <= answer_stems or unit.words > 40:
                continue
            score = self._score(unit, 0.8) * (1.2 if unit.source_kind.value == "patient_education" else 1.0)
            ranked.append((score, unit))
        ranked.sort(key=lambda c: -c[0])
        out = []
        for score, unit in ranked:
            key = unit.term.lower()
            if key in terms_seen:
                continue
            got = self._pick([(score, unit)], 1, chosen)
            if got:
                terms_seen.add(key)
                out.extend(got)
            if len(out) >= self._cap(spec):
                break
        return out

    # --- items ----------------------------------------------------------------------------

    def _items(self, spec: SectionSpec, picked: list[_Picked]) -> list[AnswerItem]:
        if spec.kind == "algorithm":
            return [self._algorithm_item(p) for p in picked]
        # Sentences that sit close together in one passage (or under one inline heading) read as
        # a point and its elaboration: the first becomes the item, the others its children.
        groups: list[list[_Picked]] = []
        for p in picked:
            home = next((g for g in groups if _belongs(p.unit, g)), None)
            if home is None:
                groups.append([p])
            else:
                home.append(p)
        items = []
        for members in groups:
            members.sort(key=lambda p: p.unit.position)
            item = self._item(members[0])
            item.children.extend(self._item(p) for p in members[1:])
            items.append(item)
        return items

    @staticmethod
    def _item(p: _Picked) -> AnswerItem:
        children = [AnswerItem(text=t, citations=[p.unit.evidence]) for t in p.unit.items[:_MAX_CHILDREN + 2]]
        return AnswerItem(text=p.unit.text, citations=list(p.citations), children=children)

    @staticmethod
    def _algorithm_item(p: _Picked) -> AnswerItem:
        unit = p.unit
        assert unit.condition is not None
        then = AnswerItem(text=unit.condition.consequence, citations=list(p.citations),
                          children=[AnswerItem(text=t, citations=[unit.evidence])
                                    for t in unit.items[:_MAX_CHILDREN]])
        return AnswerItem(text=unit.condition.condition, citations=list(p.citations), children=[then])


def _corroborate(units: list[Unit], chosen: _Selection) -> None:
    """Cite every other source that says a quoted statement too, whichever section its copy would
    have gone to ("Drinking enough fluids each day is the best way …" [1, 2])."""
    for unit in units:
        if not chosen.free(unit):
            continue
        _duplicate, same = chosen.duplicate_of(unit)
        if same is not None and unit.evidence not in same.citations:
            same.citations.append(unit.evidence)


def _all(picks: dict[str, list[_Picked]]) -> list[_Picked]:
    return [p for picked in picks.values() for p in picked]


def _plan_cue(unit: Unit, types: Sequence[InfoType]) -> float:
    """How surely a statement gives what its plan's bottom line gives: the type classifier's reading of it (on
    the hand labels of shown statements it tells on-topic statements better than the word patterns it replaced:
    AUC 0.625 against 0.592, thirty-fourth session)."""
    if unit.gives is None:
        return 0.0
    return max((unit.gives.probability(t) for t in types), default=0.0)


def _says(unit: Unit, types: Sequence[InfoType]) -> bool:
    """Whether a statement gives what its plan's bottom line gives: read first as one of ``types``, or as one of
    them at the floor of :func:`~curbside.kb.infotypes.gives`."""
    return unit.gives is not None and bool(types) and (unit.gives.best in types or _plan_cue(unit, types) >= GIVES_FLOOR)


def analysis_intent_specific(plan: AudiencePlan) -> bool:
    """Whether the plan's intent asks for something particular (not a general overview)."""
    return plan.intent not in (Intent.GENERAL, Intent.MEANING)


def _belongs(unit: Unit, group: list[_Picked]) -> bool:
    if unit.kind != "sentence" or any(p.unit.kind != "sentence" for p in group):
        return False
    for p in group:
        if p.unit.evidence != unit.evidence:
            return False
    return any(abs(p.unit.position - unit.position) <= _NEAR or (unit.block and p.unit.block == unit.block)
               for p in group)


def _passage_stems(unit: Unit) -> frozenset[str]:
    return stem_set(" ".join(unit.headings))
