"""The section-typed composer: answers a typed question from the sections that give its type.

Its evidence is routed (``answer/select/routing.py``): passages of sources about the question's
focus whose section type answers the question's type. Every statement is quoted whole from one of
them (a list introduction always with its items; a sentence that refers back with the one it
refers to), so the answer is grounded by construction. The statement most like the question (the
packaged model's cosine) is the bottom line; the others follow in reading order under a heading
named by the section type, up to ``answer.max_items_per_section``. The provenance records why each
statement is there: its section type, its source and its similarity to the question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from curbside.answer.audience import disclaimer
from curbside.answer.base import Evidence, QuestionAnalysis
from curbside.answer.citations import cite, number_references
from curbside.answer.compose.titles import answer_title, focus_name, typed_title
from curbside.answer.select.answers_model import usable_with
from curbside.answer.select.ontopic import concepts_of
from curbside.answer.select.segments import segment
from curbside.answer.understand.analysis import title_for
from curbside.answer.understand.question import Question
from curbside.answer.understand.terms import concept_stems, jaccard, stem_set
from curbside.domain import (
    AbstainKind,
    Answer,
    AnswerItem,
    AnswerSection,
    Audience,
    CitedText,
    InfoType,
    Intent,
    Notice,
    Provenance,
    SearchHit,
    SourceKind,
)
from curbside.kb.boilerplate import NO_BOILERPLATE, Boilerplate
from curbside.kb.drugs import dictionary, medicines_in
from curbside.kb.infotypes import TypeScores, gives, type_model
from curbside.kb.infotypes import usable_with as types_usable_with
from curbside.kb.synonyms import Focus, FocusIndex, key_of
from curbside.retrieval.embedder import Embedder

NAME = "sections"
VERSION = "1.0"
_DUPLICATE = 0.6  # token Jaccard at which two statements say the same thing
_SUMMARY_FLOOR = 0.4  # from a summary (no section gives the asked type): the type classifier's reading of the
_SUMMARY_COSINE = 0.3  # sentence must give the asked type at this probability, and its cosine reach this
_ANSWERS_FLOOR = 0.05  # answer-model probability below which a routed statement is not shown
#: The type classifier's probability below which it is unsure what a question asks …
SURE_TYPE = 0.9
#: … and then the answer model's probability a statement must reach to be quoted.
UNSURE_ANSWERS = 0.5
_FLOOR = 0.1  # cosine below which a statement of a routed section is not shown (navigation, pointers)
_BOTTOM_POOL = 6  # the bottom line is one of the first statements of the first passages
#: A sentence that announces a list; shown only as an introduction with its items.
_ANNOUNCES = re.compile(r"\b(?:the following|as follows)\b|\b(?:include|includes|including|are|such as)\s*[:.]?$",
                        re.IGNORECASE)
_MAX_LIST_ITEMS = 8  # items of one list quoted under its introduction
_OVERVIEW_ITEMS = 3  # items of a section the question did not ask for (an overview of what something is)

#: The heading an answer section gets for the section type it quotes.
HEADINGS: dict[InfoType, str] = {
    InfoType.INFORMATION: "What It Is", InfoType.SYMPTOMS: "Symptoms", InfoType.CAUSES: "Causes",
    InfoType.DIAGNOSIS: "Diagnosis and Tests", InfoType.TREATMENT: "Treatment Options",
    InfoType.PREVENTION: "Prevention", InfoType.OUTLOOK: "Outlook", InfoType.COMPLICATIONS: "Complications",
    InfoType.SUSCEPTIBILITY: "Who Gets It", InfoType.INHERITANCE: "Genetics and Inheritance",
    InfoType.FREQUENCY: "How Common It Is", InfoType.SEEK_CARE: "When to Get Medical Help",
    InfoType.LIVING: "Living With It", InfoType.USAGE: "What It Is Used For", InfoType.DOSAGE: "Dosage",
    InfoType.SIDE_EFFECTS: "Side Effects", InfoType.CONTRAINDICATIONS: "Who Should Not Take It",
    InfoType.WARNINGS: "Warnings and Precautions", InfoType.INTERACTIONS: "Interactions",
    InfoType.PREGNANCY: "Pregnancy and Breastfeeding", InfoType.POPULATIONS: "Use in Specific Groups",
    InfoType.OVERDOSE: "Overdose", InfoType.STORAGE: "Storage", InfoType.MECHANISM: "How It Works",
    InfoType.EFFECTIVENESS: "How Well It Works", InfoType.BRAND_NAMES: "Other Names",
    InfoType.COMPARISON: "Comparison", InfoType.RESEARCH: "Research", InfoType.OTHER: "More Information",
}
#: Plain-language headings for patients where the clinical one is not plain.
PATIENT_HEADINGS: dict[InfoType, str] = {
    InfoType.CAUSES: "What Causes It", InfoType.DIAGNOSIS: "Tests You May Have", InfoType.TREATMENT: "How It Is Treated",
    InfoType.PREVENTION: "How to Prevent It", InfoType.OUTLOOK: "What to Expect",
    InfoType.SUSCEPTIBILITY: "Who Is at Risk", InfoType.CONTRAINDICATIONS: "Who Should Not Take It",
    InfoType.WARNINGS: "Safety Warnings", InfoType.POPULATIONS: "Children, Older Adults and Other Groups",
}


@dataclass
class _Statement:
    evidence: Evidence
    text: str
    items: list[str] = field(default_factory=list)
    order: int = 0
    similarity: float = 0.0  # the packaged model's cosine with the question
    answers: float | None = None  # the learned answer model's probability that it answers (answers_model.py)
    summary_of: InfoType | None = None  # quoted from a summary for this asked type
    gives: TypeScores | None = None  # what the statement itself gives, read by the type classifier

    def score(self, asked: InfoType) -> float:
        """How well it answers, for the bottom line: its cosine with the question, with the type classifier's
        reading of the statement as giving the asked type (a definition for "what is", a dose for "how much").
        Not the answer model's probability: on 3,195 hand-labelled statements of consumer questions the cosine
        with the type's reading ranks on-topic statements first more often (AUC 0.669 against 0.639)."""
        return self.similarity if self.gives is None else (self.similarity + self.gives.probability(asked)) / 2

    @property
    def section_type(self) -> InfoType | None:
        return self.summary_of or self.evidence.hit.passage.section_type

    @property
    def lead_in(self) -> bool:
        """A list introduction ("… include:"), shown only with its items."""
        return bool(self.items) and self.text.rstrip().endswith(":")

    def joined(self) -> str:
        """The statement with the sentences that continue it, or a lead-in with its items, as one span of its
        passage when they stand together there (a bottom line that says "It …" next is kept whole; one that
        introduces a list keeps the list), else alone."""
        if not self.items:
            return self.text
        passage = self.evidence.hit.passage.text
        start = passage.find(self.text)
        end = passage.find(self.items[-1], start)
        if start < 0 or end < 0:
            return self.text
        return passage[start : end + len(self.items[-1])]

    @property
    def boxed(self) -> bool:
        return any(h.lower().startswith("boxed warning") for h in self.evidence.hit.passage.headings)


def _statements(evidence: Sequence[Evidence], openers: frozenset[str]) -> list[_Statement]:
    """Whole statements of each passage in reading order: sentences, and introductions with their
    items; a sentence that refers back joins the statement it refers to, or, opening its section,
    refers to the section's subject."""
    out: list[_Statement] = []
    for ev in evidence:
        opens = ev.hit.passage.id in openers
        segments = segment(ev.hit.passage.text, research=ev.hit.source.kind == SourceKind.RESEARCH_ARTICLE)
        by_index = {s.index: s for s in segments}
        last: _Statement | None = None
        for seg in segments:
            if seg.kind == "heading" or not seg.usable or seg.parent is not None:
                continue
            if seg.kind == "intro":
                items = [by_index[i].text for i in seg.children if by_index[i].usable][:_MAX_LIST_ITEMS]
                if not items:  # a lead-in never stands without its items
                    last = None
                    continue
                last = _Statement(ev, seg.text, items)
                out.append(last)
                continue
            if seg.dangling and not (opens and last is None):
                if last is not None and last.evidence is ev and not last.items:
                    last.items.append(seg.text)
                continue
            if _ANNOUNCES.search(seg.text) or seg.text.rstrip().endswith(":"):
                # "… provides the following list …", or "The most common signs are:" whose list the passage
                # does not hold (cut off at its end): a lead-in never stands without its items
                last = None
                continue
            last = _Statement(ev, seg.text)
            out.append(last)
    for i, statement in enumerate(out):
        statement.order = i
    return out


def partners(question: Question) -> list[tuple[str, list[str]]]:
    """What an interaction question asks the focus medicine together with: each other medicine it
    names (as written, with its other names from ``kb.drugs``) and each other subject it names."""
    if question.focus is None:
        return []
    own = {key_of(n) for n in question.focus.names}
    drugs = dictionary()
    out: list[tuple[str, list[str]]] = []
    for name, canonical in medicines_in(question.text):
        if key_of(name) in own or key_of(canonical) in own:
            continue
        out.append((name, [name, canonical, *drugs.names_of.get(canonical, ())]))
    for other in question.others:
        if not own & {key_of(n) for n in other.names}:
            out.append((other.name, [other.name]))
    return out


def _partners(question: Question) -> list[str]:
    """Every name of :func:`partners`."""
    return [name for _said, names in partners(question) for name in names]


def _everywhere(statement: _Statement, common: Boilerplate) -> bool:
    """A sentence a database prints on a tenth of its pages: never quoted."""
    return not statement.items and common.printed_everywhere(statement.text)


def _generic(statement: _Statement, common: Boilerplate) -> bool:
    """A sentence many sources print (a list introduction is judged by its items, not here; a boxed
    warning is always shown, though every medicine of its class prints it)."""
    return not statement.items and not statement.boxed and statement.text in common


def _said(statement: _Statement) -> frozenset[str]:
    """What a statement says, as word stems: a list introduction with its items (a label's highlights
    and its full text introduce the same list in other words)."""
    return stem_set(" ".join([statement.text, *statement.items]))


def _similarities(embedder: Embedder | None, question: str, statements: list[_Statement]) -> None:
    """Each statement's cosine with the question and, where the packaged answer model reads this
    embedder's vectors, its probability of answering the question."""
    if embedder is None or not statements:
        return
    texts = [question] + [" ".join([s.text, *s.items]) for s in statements]
    vectors = embedder.embed(texts, batch_size=32)
    sims = vectors[1:] @ vectors[0]
    model = usable_with(embedder)
    answers = model.scores(vectors[0], vectors[1:]) if model is not None else None
    gives = type_model().read(vectors[1:]) if types_usable_with(embedder) else None
    for i, statement in enumerate(statements):
        statement.similarity = float(sims[i])
        statement.answers = float(answers[i]) if answers is not None else None
        statement.gives = gives[i] if gives is not None else None


def _distinct(ranked: Sequence[_Statement], said: list[frozenset[str]], limit: int) -> list[_Statement]:
    """The first ``limit`` statements of ``ranked`` that do not say what one before them (or ``said``) says: nearly
    the same words, or only words of one of them ("X is Y." after "X is Y. Two types exist."); nor one whose own
    sentence is said already, though the sentences joined to it say more (the reader would read it twice) — a list
    introduction is judged with its items."""
    picked: list[_Statement] = []
    for statement in ranked:
        stems = _said(statement)
        own = stems if statement.lead_in else stem_set(statement.text)
        if any(jaccard(stems, other) >= _DUPLICATE or own <= other for other in said):
            continue
        said.append(stems)
        picked.append(statement)
        if len(picked) == limit:
            break
    return picked


def headings_for(audience: Audience) -> dict[InfoType, str]:
    """The section headings an audience reads."""
    return {**HEADINGS, **PATIENT_HEADINGS} if audience == Audience.PATIENT else HEADINGS


def compose_typed(question: Question, analysis: QuestionAnalysis, evidence: Sequence[Evidence],
                  types: Sequence[InfoType], embedder: Embedder | None, *, max_items: int = 6,
                  openers: frozenset[str] = frozenset(), summary: bool = False,
                  common: Boilerplate = NO_BOILERPLATE) -> Answer | None:
    """The answer from routed evidence, or None when it holds no usable statement. ``openers`` are the
    passages that open their section; from a ``summary`` (no section gives the asked type) only what
    the answer model reads as answering is kept, under the asked type's heading. Sentences in
    ``common`` (printed by many sources: ``kb/boilerplate.py``) are quoted only when no other
    statement gives the asked type, and those printed on a tenth of all sources never."""
    statements = _statements(evidence, openers)
    _similarities(embedder, question.text, statements)
    statements = [s for s in statements if embedder is None or (
        s.similarity >= _FLOOR and (s.answers is None or s.answers >= _ANSWERS_FLOOR))]
    if question.types is not None and question.types.ranked[0][1] < SURE_TYPE:
        # the type classifier is unsure what is asked: a section of its first reading may answer another
        # question, so only what the answer model reads as answering this one is quoted — a drug label's
        # sections are typed by the label itself (and the answer model, trained on MedQuAD pages, reads
        # label prose as not answering); the first statement of a section of the asked type, its lead
        # ("The prevalence of this condition is unknown."), is kept too
        firsts: dict[str, _Statement] = {}
        for statement in statements:
            firsts.setdefault(statement.evidence.hit.passage.id, statement)
        leads = {id(s) for passage_id, s in firsts.items() if passage_id in openers and s.section_type == types[0]}
        statements = [s for s in statements if s.answers is None or s.answers >= UNSURE_ANSWERS
                      or id(s) in leads or s.evidence.hit.source.kind == SourceKind.DRUG_LABEL]
    if summary:  # a summary's sentence answers when it gives the asked type itself, and is close to the question
        statements = [s for s in statements if s.gives is not None and s.similarity >= _SUMMARY_COSINE
                      and types[0] in [t for t, _p in s.gives.ranked[:2]] and s.gives.probability(types[0]) >= _SUMMARY_FLOOR]
        for s in statements:
            s.summary_of = types[0]
    statements = [s for s in statements if not _everywhere(s, common)]
    partners = _partners(question) if types[0] == InfoType.INTERACTIONS else []
    if partners:  # "Can I take X with Y?": what the label says of Y, not every interaction of X
        statements = [s for s in statements if FocusIndex.names_in(partners, " ".join([s.text, *s.items]))]
    specific = [s for s in statements if not _generic(s, common)]
    if any(s.section_type in types for s in specific):
        statements = specific
    if not statements:
        return None
    asked = [s for s in statements if s.section_type in types] or statements
    unlisted = [s for s in asked if not s.lead_in]  # a lead-in is a bottom line only with its list (joined)
    plain = [s for s in unlisted if not s.boxed and s.text.rstrip().endswith((".", "!", ")"))]
    pool = sorted(plain or unlisted or asked, key=lambda s: s.order)[:_BOTTOM_POOL]
    bottom = max(pool, key=lambda s: (s.score(types[0]), -s.order))
    bottom_text = bottom.joined()
    said = [_said(bottom)]
    names = headings_for(analysis.audience)
    groups: dict[str, list[_Statement]] = {}
    for statement in statements:
        if statement is bottom:
            continue
        stems = _said(statement)
        if any(jaccard(stems, other) >= _DUPLICATE for other in said):
            continue
        said.append(stems)
        key = "Boxed Warning" if statement.boxed else names.get(statement.section_type or types[0], "More Information")
        groups.setdefault(key, []).append(statement)
    order = ["Boxed Warning", *(names[t] for t in types), *(names[t] for t in InfoType if t not in types)]
    sections = []
    for heading in sorted(groups, key=lambda h: order.index(h) if h in order else len(order)):
        asked_for = heading == "Boxed Warning" or any(heading == names[t] for t in types)
        picked = groups[heading][:max_items if asked_for else min(max_items, _OVERVIEW_ITEMS)]
        sections.append(AnswerSection(heading=heading, style="bullets", items=[
            AnswerItem(text=s.text, citations=[s.evidence.number],
                       children=[AnswerItem(text=t, citations=[s.evidence.number]) for t in s.items])
            for s in picked]))
    title = (typed_title(question, types[0], names.get(types[0], "More Information"), intent=analysis.intent)
             or answer_title(analysis, concepts_of(analysis)))
    why = "; ".join(f"[{s.evidence.number}] {s.section_type.value if s.section_type else '?'} cos={s.similarity:.2f}"
                    + (f" answers={s.answers:.2f}" if s.answers is not None else "")
                    for s in [bottom, *(x for g in groups.values() for x in g)])
    draft = Answer(
        question=analysis.question, title=title, audience=analysis.audience, intent=analysis.intent,
        bottom_line=CitedText(text=bottom_text, citations=[bottom.evidence.number]),
        sections=sections, disclaimer=disclaimer(analysis.audience),
        provenance=Provenance(composer=NAME, composer_version=VERSION, settings_hash="",
                              retrieval_query=analysis.retrieval_query,
                              extra={**question.describe(), "statements": why,
                                     "answered_from": ",".join(t.value for t in types)}),
    )
    return number_references(draft, evidence)


#: Closest statements (no section about the subject gives the asked type): a statement is quoted when
#: its cosine with the question reaches this …
CLOSE_COSINE = 0.5
#: … the answer model reads it as answering at this probability …
CLOSE_ANSWERS = 0.5
#: … its own type reading gives the asked type (``kb/infotypes.gives``) …
#: … and at most this many are quoted.
CLOSE_ITEMS = 3
CLOSEST = "closest"


def closest_heading(audience: Audience) -> str:
    """The heading of the statements :func:`compose_closest` quotes under its bottom line."""
    return "What the Sources Say" if audience == Audience.PATIENT else "Closest Evidence"


def compose_closest(question: Question, analysis: QuestionAnalysis, evidence: Sequence[Evidence],
                    embedder: Embedder | None, *, common: Boilerplate = NO_BOILERPLATE) -> Answer | None:
    """A partial answer that says what it covers: the statements of on-subject passages closest to
    the question when no section about the subject gives what was asked. Each statement names the
    subject (or stands in a page titled by it), is close to the question by the packaged model's
    cosine and is read as answering it by the answer model; the answer says which part of the
    question its sources do not cover; a sentence many sources print (``common``) is never quoted.
    None when no statement qualifies (then curbside abstains)."""
    if embedder is None or question.focus is None:
        return None
    names = [question.narrower] if question.narrower else list(question.focus.names)
    statements = _statements(evidence, frozenset())
    _similarities(embedder, question.text, statements)

    def on_subject(s: _Statement) -> bool:
        text = " ".join([s.text, *s.items])
        return FocusIndex.names_in(names, text) or (
            not question.narrower and FocusIndex.names_in(names, s.evidence.hit.source.title))

    asked = question.asked or (InfoType.INFORMATION,)
    kept = [s for s in statements if s.similarity >= CLOSE_COSINE and (s.answers is None or s.answers >= CLOSE_ANSWERS)
            and s.text.rstrip().endswith((".", "!", ")", ":")) and on_subject(s) and gives(s.gives, asked)
            and not _generic(s, common)]
    named = _partners(question) if asked[0] == InfoType.INTERACTIONS else []
    if named:  # what is said of the other medicine, or nothing
        kept = [s for s in kept if FocusIndex.names_in(named, " ".join([s.text, *s.items]))]
    if not kept:
        return None
    kept.sort(key=lambda s: -(s.similarity + (s.answers if s.answers is not None else s.similarity)))
    picked = _distinct(kept, [], CLOSE_ITEMS)
    plain = [s for s in picked if not s.lead_in]
    if not plain:
        return None
    bottom = plain[0]
    rest = [s for s in picked if s is not bottom]
    asking = ", ".join(t.value.replace("_", " ") for t in question.asked) or "what was asked"
    subject = question.narrower or question.focus.name
    sections = [AnswerSection(heading=closest_heading(analysis.audience), style="bullets", items=[
        AnswerItem(text=s.text, citations=[s.evidence.number],
                   children=[AnswerItem(text=t, citations=[s.evidence.number]) for t in s.items]) for s in rest])]
    why = "; ".join(f"[{s.evidence.number}] {s.section_type.value if s.section_type else '?'} cos={s.similarity:.2f}"
                    + (f" answers={s.answers:.2f}" if s.answers is not None else "") for s in picked)
    draft = Answer(
        question=analysis.question, title=typed_title(question, asked[0], "", partial=True), audience=analysis.audience,
        intent=analysis.intent, bottom_line=CitedText(text=bottom.joined(), citations=[bottom.evidence.number]),
        sections=[s for s in sections if s.items], disclaimer=disclaimer(analysis.audience),
        notices=[Notice(kind="partial", text=(
            f"No section of the knowledge base says what this question asks ({asking}) about {subject}. Below are "
            f"the statements about {subject} closest to the question; they may answer only part of it."))],
        provenance=Provenance(composer=CLOSEST, composer_version=VERSION, settings_hash="",
                              retrieval_query=analysis.retrieval_query,
                              extra={**question.describe(), "statements": why, "answered_from": "closest"}),
    )
    return number_references(draft, evidence)


#: A comparison's statements about each side: at most this many under the side's heading.
COMPARED_ITEMS = 2
COMPARED = "compared"


def compose_compared(question: Question, analysis: QuestionAnalysis, evidence: Sequence[Evidence],
                     embedder: Embedder | None, sides: Sequence[Focus], *,
                     common: Boilerplate = NO_BOILERPLATE) -> Answer | None:
    """A comparison answered by both sides ("Is X the same as Y?", "X or Y?"): the statement closest to the
    question that names both, when a source has one, as the bottom line; under each side's name, what its
    sources say it is (the statements about it alone, close to the question, that the type classifier reads most
    surely as saying what something is). A notice says so when no statement compares them. None without two
    sides each with a statement."""
    if embedder is None or len(sides) < 2:
        return None
    statements = [s for s in _statements(evidence, frozenset()) if not _generic(s, common)]
    _similarities(embedder, question.text, statements)

    def said(s: _Statement) -> str:
        return " ".join([s.text, *s.items])

    def about(side: Focus, s: _Statement) -> bool:
        return FocusIndex.names_in(side.names, said(s)) or FocusIndex.names_in(side.names, s.evidence.hit.source.title)

    whole = [s for s in statements if s.text.rstrip().endswith((".", "!", ")", ":"))]
    asked = (InfoType.INFORMATION, InfoType.COMPARISON)  # what each is, or how they differ
    both = sorted((s for s in whole if not s.lead_in and s.similarity >= CLOSE_COSINE and gives(s.gives, asked)
                   and all(FocusIndex.names_in(side.names, said(s)) for side in sides)), key=lambda s: -s.similarity)
    first = both[0] if both else None
    kept: list[tuple[Focus, list[_Statement]]] = []
    # two names of one subject ("hypothyroidism" and "underactive thyroid"): only a statement naming both answers
    one_subject = set(sides[0].source_ids) == set(sides[1].source_ids)
    for side in [] if one_subject else sides[:2]:
        others = [o for o in sides if o is not side]
        own = [s for s in whole if about(side, s) and not any(FocusIndex.names_in(o.names, said(s)) for o in others)
               and s.similarity >= CLOSE_COSINE and gives(s.gives, (InfoType.INFORMATION,))]
        own.sort(key=lambda s: -(s.gives.probability(InfoType.INFORMATION) if s.gives is not None else s.similarity))
        picked = [s for s in _distinct(own, [], COMPARED_ITEMS) if s is not first]
        if not picked:
            return None
        kept.append((side, picked))
    if one_subject and not both:
        return None
    names = [focus_name(side) for side in sides[:2]]
    # no source compares them: the first side's first statement leads, the notice says so
    bottom = first if first is not None else kept[0][1].pop(0)
    sections = [AnswerSection(heading=name, style="bullets", items=[
        AnswerItem(text=s.text, citations=[s.evidence.number],
                   children=[AnswerItem(text=t, citations=[s.evidence.number]) for t in s.items]) for s in picked])
        for name, (_side, picked) in zip(names, kept, strict=False)]  # none for two names of one subject
    notices = [] if both else [Notice(kind="partial", text=(
        f"No statement of the knowledge base compares {names[0]} with {names[1]}. Below is what its sources say "
        f"each is; they may answer only part of the question."))]
    chosen = [bottom, *(s for _side, picked in kept for s in picked)]
    draft = Answer(
        question=analysis.question, title=title_for(Intent.COMPARISON, analysis.audience, " and ".join(names)),
        audience=analysis.audience, intent=Intent.COMPARISON,
        bottom_line=CitedText(text=bottom.joined(), citations=[bottom.evidence.number]),
        sections=[s for s in sections if s.items], disclaimer=disclaimer(analysis.audience), notices=notices,
        provenance=Provenance(composer=COMPARED, composer_version=VERSION, settings_hash="",
                              retrieval_query=analysis.retrieval_query,
                              extra={**question.describe(), "statements": _why(chosen), "answered_from": "compared",
                                     "compared": " | ".join(names)}),
    )
    return number_references(draft, evidence)


#: The statements of the top retrieved passages closest to the question (what a reader of the search would find
#: first, quoted statement by statement): read from this many of the top passages …
NEAR_PASSAGES = 5
#: … quoted when their cosine with the question reaches this …
NEAR_COSINE = 0.45
#: … at most this many, in the order of their passages. Chosen on K-QA dev and the LiveQA questions of MedLFQA
#: (must-have statements) so that coverage over all questions passes the top-1 passage shown as is while the
#: answered ones stay ≥ 1.3× the top passages cut to the same length (docs/benchmarks.md, twenty-seventh session).
NEAR_ITEMS = 3
NEAREST = "nearest"


def _nearest(analysis: QuestionAnalysis, hits: Sequence[SearchHit], embedder: Embedder, quoted: Sequence[str],
             common: Boilerplate, *, on_subject: bool = False) -> list[_Statement]:
    """Up to :data:`NEAR_ITEMS` statements of the top :data:`NEAR_PASSAGES` hits at :data:`NEAR_COSINE` or closer to
    the question, in reading order, none saying what ``quoted`` (the answer's own statements) says already; with
    ``on_subject``, only those about what the question is about (they name the question's concepts, with their
    page's title: the subject model of answer/select/ontopic.py)."""
    evidence = [Evidence(i + 1, hit) for i, hit in enumerate(hits[:NEAR_PASSAGES])]
    statements = [s for s in _statements(evidence, frozenset()) if not _everywhere(s, common) and not _generic(s, common)]
    if on_subject:
        concepts = concepts_of(analysis)
        statements = [s for s in statements if concepts.on_topic(concept_stems(" ".join([s.text, *s.items])),
                                                                 concept_stems(s.evidence.hit.source.title))]
    _similarities(embedder, analysis.question, statements)
    close = sorted((s for s in statements if s.similarity >= NEAR_COSINE), key=lambda s: -s.similarity)
    return sorted(_distinct(close, [stem_set(text) for text in quoted], NEAR_ITEMS), key=lambda s: s.order)


def _said_by(answer: Answer) -> list[str]:
    """What an answer says, statement by statement as :func:`_said` reads one: an item with the items under it."""
    def whole(item: AnswerItem) -> str:
        return " ".join([item.text, *(whole(child) for child in item.children)])

    return [answer.bottom_line.text, *(whole(item) for section in answer.sections for item in section.items)]


def _item(statement: _Statement, number: int) -> AnswerItem:
    return AnswerItem(text=statement.text, citations=[number],
                      children=[AnswerItem(text=t, citations=[number]) for t in statement.items])


def _why(statements: Sequence[_Statement]) -> str:
    return "; ".join(f"[{s.evidence.number}] cos={s.similarity:.2f}" for s in statements)


def nearest_heading(audience: Audience) -> str:
    """The heading of the statements :func:`with_nearest` adds."""
    return "More From the Sources Found" if audience == Audience.PATIENT else "Closest Passages Retrieved"


def with_nearest(answer: Answer, analysis: QuestionAnalysis, hits: Sequence[SearchHit], embedder: Embedder | None, *,
                 common: Boilerplate = NO_BOILERPLATE, on_subject: bool = False) -> Answer:
    """The answer with a last section quoting the statements of the top retrieved passages closest to the question
    that it does not say already (:func:`_nearest`); its references gain the sources they come from, numbered after
    its own. The answer unchanged when none qualifies."""
    if embedder is None or answer.abstained:
        return answer
    picked = _nearest(analysis, hits, embedder, _said_by(answer), common, on_subject=on_subject)
    if not picked:
        return answer
    references = [r.model_copy(deep=True) for r in answer.references]
    items = [_item(statement, cite(references, statement.evidence.hit)) for statement in picked]
    section = AnswerSection(heading=nearest_heading(answer.audience), style="bullets", items=items)
    extra = {**answer.provenance.extra, NEAREST: _why(picked)}
    return answer.model_copy(update={"sections": [*answer.sections, section], "references": references,
                                     "provenance": answer.provenance.model_copy(update={"extra": extra})})


def compose_nearest(abstained: Answer, analysis: QuestionAnalysis, hits: Sequence[SearchHit], embedder: Embedder | None, *,
                    common: Boilerplate = NO_BOILERPLATE, on_subject: bool = False) -> Answer | None:
    """A partial answer in place of an abstention whose knowledge base has passages close to the question but no
    section that answers it: the closest statements of the top passages (:func:`_nearest`; with ``on_subject``, only
    those about what the question is about), the closest one as the bottom line, with a notice that says they may
    answer only part of the question. None when none qualifies."""
    if embedder is None:
        return None
    picked = _nearest(analysis, hits, embedder, [], common, on_subject=on_subject)
    plain = [s for s in picked if not s.lead_in]
    if not plain:
        return None
    bottom = max(plain, key=lambda s: s.similarity)
    rest = [s for s in picked if s is not bottom]
    audience = abstained.audience
    draft = abstained.model_copy(update={
        "abstained": False, "abstain_reason": "", "abstain_kind": AbstainKind.NONE,
        "bottom_line": CitedText(text=bottom.text, citations=[bottom.evidence.number]),
        "sections": [AnswerSection(heading=nearest_heading(audience), style="bullets",
                                   items=[_item(s, s.evidence.number) for s in rest])] if rest else [],
        "notices": [*abstained.notices, Notice(kind="partial", text=(
            "No section of the knowledge base answers this question directly. Below are the statements of the "
            "passages found that are closest to it; they may answer only part of it, or a related question."))],
        "provenance": Provenance(composer=NEAREST, composer_version=VERSION, settings_hash="",
                                 retrieval_query=abstained.provenance.retrieval_query,
                                 extra={**abstained.provenance.extra, NEAREST: _why(picked),
                                        "answered_from": NEAREST, "not_answered_because": abstained.abstain_reason}),
    })
    return number_references(draft, [Evidence(i + 1, hit) for i, hit in enumerate(hits[:NEAR_PASSAGES])])
