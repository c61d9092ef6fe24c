"""Candidate statements ("units") cut from the evidence, with what scoring needs to know.

A unit is one sentence, a sentence that refers back together with the sentence before it, or a
list introduction with its items. Its text is always a span of the passage text, so quoting it is
quoting the source. Conditional sentences also carry their condition and consequence clauses (for
the management algorithm), and defining sentences the term they define (for plain-language term
explanations).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from curbside.answer.base import Evidence
from curbside.answer.select.segments import Segment, segment
from curbside.answer.understand.analysis import FocusTerms
from curbside.answer.understand.plans import compile_all, heading_matches, load_data
from curbside.answer.understand.terms import stem_set
from curbside.domain import InfoType, SourceKind
from curbside.kb.infotypes import TypeScores
from curbside.kb.synonyms import own_acronyms

_MAX_LIST_ITEMS = 6
_MAX_BACK = 2  # sentences a referring sentence may reach back ("X is … It involves … It can cause …")
_SUBJECT_OPENER = re.compile(r"(patients|people|children|adults|those|women|men|persons|individuals|anyone|"
                             r"infants) (who|with|whose|that)\b")
_SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
_MODAL = re.compile(r"\s(should|must|may need|might need|need to|needs to|will need|are advised|is advised|"
                    r"require|requires|can be (treated|removed|given|helped))\b")


@dataclass(frozen=True)
class _Lexicon:
    openers: tuple[re.Pattern[str], ...]
    inline: tuple[re.Pattern[str], ...]
    actions: tuple[re.Pattern[str], ...]
    max_condition_words: int
    definition: re.Pattern[str]
    definition_max_words: int
    general: tuple[re.Pattern[str], ...]
    continuation: tuple[re.Pattern[str], ...]


@cache
def lexicon() -> _Lexicon:
    data = load_data("composer")
    alg = data["algorithm"]
    return _Lexicon(
        openers=compile_all(alg["openers"], "composer.toml:algorithm.openers"),
        inline=compile_all(alg["inline"], "composer.toml:algorithm.inline"),
        actions=compile_all(alg["actions"], "composer.toml:algorithm.actions"),
        max_condition_words=int(alg["max_condition_words"]),
        definition=compile_all([data["definitions"]["pattern"]], "composer.toml:definitions")[0],
        definition_max_words=int(data["definitions"].get("max_words", 35)),
        general=compile_all(data["bottom_line"]["general"], "composer.toml:bottom_line.general"),
        continuation=compile_all(data["bottom_line"]["continuation"], "composer.toml:bottom_line.continuation"),
    )


@dataclass(frozen=True)
class Condition:
    """An if → then split of a sentence; both parts are spans of it."""

    condition: str
    consequence: str


@dataclass
class Unit:
    evidence: int
    rank: int
    position: int
    text: str
    kind: str  # "sentence" or "list"
    items: tuple[str, ...]
    headings: tuple[str, ...]
    block: str
    source_id: str
    source_kind: SourceKind
    stems: frozenset[str]
    low: str
    first_in_passage: bool
    next_text: str = ""  # the following sentence of the passage, when usable (bottom line)
    condition: Condition | None = None
    term: str = ""
    relevance: float = 0.0  # to the question (this unit's words)
    passage_relevance: float = 0.0  # to the question (the whole passage)
    strength: float = 0.0  # retrieval rank, source design and audience fit
    source_weight: float = 1.0  # source design and audience fit alone
    covers: tuple[int, ...] = ()  # segment indices of the passage this unit quotes
    second_person: bool = False  # addresses the reader ("you", "your")
    extra_citations: list[int] = field(default_factory=list)
    title: str = ""  # the source's title (what the passage is about, with its headings)
    acronyms: tuple[str, ...] = ()  # what the passage calls its title for short ("PID")
    similarity: float | None = None  # cosine to the question with the packaged model, when scored
    vector: Any = None  # its embedding (numpy row), when scored: near-paraphrases are duplicates
    gives: TypeScores | None = None  # what it gives, read from its vector by the type classifier, when scored
    on_topic: bool = True  # names the question's concepts (answer/select/ontopic.py)
    section_type: InfoType | None = None  # what its passage's section gives
    leans: bool = False  # on topic only as read on its page ("Early treatment is important." on PID)

    @property
    def words(self) -> int:
        return len(self.text.split())


def _has_action(text: str) -> bool:
    return any(p.search(text) for p in lexicon().actions)


def split_condition(text: str) -> Condition | None:
    """If → then parts of a conditional sentence that says what to do, else None."""
    lex = lexicon()
    low = text.lower()
    if any(p.search(low) for p in lex.openers):
        comma = text.find(", ")
        modal = _MODAL.search(text)
        if _SUBJECT_OPENER.match(low) and modal:  # "People who … should …": split at the verb
            cond, cons = text[: modal.start()].rstrip(" ,"), text[modal.start() + 1:]
        elif comma > 0 and len(text[:comma].split()) <= lex.max_condition_words:
            cond, cons = text[:comma], text[comma + 2:]
        elif modal:
            cond, cons = text[: modal.start()], text[modal.start() + 1:]
        else:
            return None
        if (len(cond.split()) >= 3 and len(cons.split()) >= 3 and _has_action(cons.lower())
                and not re.match(r"(or|and|but)\b", cons.lower())):
            return Condition(cond.strip(), cons.strip())
        return None
    for pattern in lex.inline:
        match = pattern.search(low)
        if not match or len(low[: match.start()].split()) < 3:
            continue
        cons, cond = text[: match.start()], text[match.start() + 1:]
        if (3 <= len(cond.split()) <= lex.max_condition_words and _has_action(cons.lower())
                and not cons.rstrip().endswith(",")):
            return Condition(cond.strip(), cons.strip())
    return None


def defined_term(text: str) -> str:
    """The term a sentence defines ("Hematuria is blood in the urine." → "Hematuria"), or ""."""
    if len(text.split()) > lexicon().definition_max_words:
        return ""
    match = lexicon().definition.match(text)
    if not match:
        return ""
    term = match.group("term").strip()
    if term.lower() in {"it", "this", "that", "there", "these", "they", "he", "she", "one", "which"}:
        return ""
    return term


_CLINICAL_KINDS = frozenset({SourceKind.GUIDELINE, SourceKind.SYSTEMATIC_REVIEW, SourceKind.TRIAL,
                             SourceKind.BOARD_REVIEWED})
_STUDY_WEIGHT = 0.6
_RESEARCH_WEIGHT = 0.5
_CONCLUSION_WEIGHT = 1.1


def _source_weight(headings: Sequence[str], section_type: InfoType | None, kind: SourceKind, patient: bool) -> float:
    weight = 1.0
    if heading_matches(("study",), list(headings), section_type):
        weight *= _STUDY_WEIGHT
    elif heading_matches(("research",), list(headings), section_type):
        weight *= _RESEARCH_WEIGHT  # "What research is being done …": plans, not findings
    elif heading_matches(("conclusions",), list(headings), section_type):
        weight *= _CONCLUSION_WEIGHT
    if patient:
        weight *= 1.15 if kind == SourceKind.PATIENT_EDUCATION else 0.85
    elif kind in _CLINICAL_KINDS:  # clinicians: guidelines, labels and research first
        weight *= 1.1
    return weight


def _relevance(stems: frozenset[str], focus: FocusTerms) -> float:
    total = sum(focus.weights.values())
    if not total:
        return 0.0
    score = sum(w for s, w in focus.weights.items() if s in stems) / total
    if focus.population and focus.population & stems:
        score = min(1.0, score * 1.15)
    return score


def build_units(evidence: Sequence[Evidence], focus: FocusTerms, *, patient: bool) -> list[Unit]:
    """Every candidate statement of the evidence, in evidence order."""
    units: list[Unit] = []
    seen_texts: set[str] = set()
    for position, ev in enumerate(evidence):
        hit = ev.hit
        text = hit.passage.text
        if text in seen_texts:  # MedQuAD repeats some answers verbatim
            continue
        seen_texts.add(text)
        segments = segment(text, research=hit.source.kind == SourceKind.RESEARCH_ARTICLE)
        by_index = {s.index: s for s in segments}
        # What the passage is about: its source title and heading (MedQuAD's focus, PubMed's
        # question); a passage that only mentions the subject in passing is not "about" it.
        about_stems = stem_set(" ".join([hit.source.title, *hit.passage.headings]))
        base = dict(evidence=ev.number, rank=position + 1, headings=tuple(hit.passage.headings),
                    source_id=hit.source.id, source_kind=hit.source.kind, section_type=hit.passage.section_type)
        weight = _source_weight(hit.passage.headings, hit.passage.section_type, hit.source.kind, patient)
        strength = (1.0 / (1.0 + 0.12 * position)) * weight
        passage_rel = _relevance(about_stems, focus)
        first_usable = next((s.index for s in segments if s.usable and s.kind != "item"), -1)
        short = tuple(own_acronyms(hit.source.title, text))  # "Pelvic inflammatory disease (PID) is …"
        for seg in segments:
            unit = _unit_for(seg, by_index, text)
            if unit is None:
                continue
            body, items, kind, start_index = unit
            covers = tuple(range(start_index, seg.index + 1)) + tuple(seg.children)
            stems = stem_set(" ".join([body, *items]))
            nxt = by_index.get(seg.index + 1)
            next_text = nxt.text if nxt and nxt.usable and nxt.kind == "sentence" else ""
            units.append(Unit(
                position=start_index, text=body, kind=kind, items=items, block=seg.block, stems=stems,
                low=" ".join([body, *items]).lower(), first_in_passage=start_index == first_usable,
                next_text=next_text, condition=split_condition(body), covers=covers,
                term=defined_term(body) if kind == "sentence" else "",
                second_person=_SECOND_PERSON.search(body) is not None,
                relevance=_relevance(stems, focus), passage_relevance=passage_rel, strength=strength,
                source_weight=weight, title=hit.source.title, acronyms=short,
                **base,  # type: ignore[arg-type]
            ))
    return units


def _unit_for(seg: Segment, by_index: dict[int, Segment], text: str) -> tuple[str, tuple[str, ...], str, int] | None:
    if not seg.usable or seg.kind in ("item", "heading"):
        return None
    if seg.kind == "intro":
        items = tuple(by_index[i].text for i in seg.children if by_index[i].usable)[:_MAX_LIST_ITEMS]
        return (seg.text, items, "list", seg.index) if len(items) >= 2 else None
    if seg.dangling:  # "It can cause …": back to the sentence that names what "it" is
        prev = by_index.get(seg.index - 1)
        for _ in range(_MAX_BACK):
            if prev is None or not prev.usable or prev.kind != "sentence" or prev.block != seg.block:
                return None
            if not prev.dangling:
                return text[prev.start:seg.end], (), "sentence", prev.index
            if _first_word(prev.text) != _first_word(seg.text):  # "It involves … It can cause …" only
                return None
            prev = by_index.get(prev.index - 1)
        return None
    return seg.text, (), "sentence", seg.index


def _first_word(text: str) -> str:
    return text.split(maxsplit=1)[0].lower() if text.strip() else ""
