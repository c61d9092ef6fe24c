"""Section-typed evidence: the passages that answer a typed question by what their section gives.

A question of type T about focus F is answered from passages whose source is about F (its title or
names are F's names, or it was retrieved and its title names F) and whose section type answers T
(``kb/infotypes.ANSWERED_BY``): "What is X used for?" from a label's Indications and Usage, "What
are the symptoms of X?" from the symptoms section of a page on X. Sources are preferred by the
audience (patients: patient pages and the patient sections of labels; clinicians: guidelines and
prescribing sections), then by how well retrieval ranked them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from curbside.answer.understand.question import Question
from curbside.domain import Audience, InfoType, Passage, SearchHit, Source, SourceKind
from curbside.kb.infotypes import answered_by, classify, section_text
from curbside.kb.store import KnowledgeStore
from curbside.kb.synonyms import FocusIndex, curated, name_variants
from curbside.retrieval.embedder import Embedder

#: Sources and passages of each kept (the first passages of a section say what it is about).
MAX_SOURCES = 2
MAX_PASSAGES = 3
#: A retrieved passage with no section type answers when a wanted type is the classifier's second
#: reading of it at this probability (or its first).
_SOFT = 0.25

_ORDER: dict[Audience, tuple[SourceKind, ...]] = {
    Audience.PATIENT: (SourceKind.BOARD_REVIEWED, SourceKind.PATIENT_EDUCATION, SourceKind.DRUG_LABEL,
                       SourceKind.GUIDELINE, SourceKind.SYSTEMATIC_REVIEW),
    Audience.CLINICIAN: (SourceKind.BOARD_REVIEWED, SourceKind.GUIDELINE, SourceKind.DRUG_LABEL,
                         SourceKind.SYSTEMATIC_REVIEW, SourceKind.PATIENT_EDUCATION),
}
#: Kinds of source routed to (every kind a subject's page can be).
_KINDS = frozenset(k.value for k in _ORDER[Audience.CLINICIAN])
_PATIENT_HEADINGS = ("medication guide", "patient information", "information for patients", "patient counseling",
                     "instructions for use")


def patient_facing(passage: Passage) -> bool:
    """A label's Medication Guide or patient information (written for the patient)."""
    return any(h.lower().startswith(_PATIENT_HEADINGS) for h in passage.headings)


@dataclass(frozen=True)
class Routed:
    """The typed evidence for a question: the hits and the section types they answer with."""

    hits: list[SearchHit]
    types: tuple[InfoType, ...]
    #: Passages that open their section: a sentence at their start that refers back refers to the
    #: section's subject, which is the question's focus.
    openers: frozenset[str] = frozenset()
    #: No section gives the asked type; these are summaries, and only statements that answer are kept.
    summary: bool = False


def _titled_by(source: Source, name: str) -> bool:
    """True when one of the source's title's own names is ``name`` ("Hematuria (Blood in the Urine)"
    is titled by hematuria; a label "Lipitor (atorvastatin calcium)" by lipitor and atorvastatin)."""
    return any(_same_name(variant, name) for variant in name_variants(source.title))


def _same_name(a: str, b: str) -> bool:
    """Two names that are the same words (case and punctuation aside)."""
    return FocusIndex.names_in([a], b) and FocusIndex.names_in([b], a)


def wanted_types(question: Question) -> tuple[InfoType, ...]:
    out: list[InfoType] = []
    for asked in question.asked:
        out.extend(t for t in answered_by(asked) if t not in out)
    return tuple(out)


def _read_untyped(question: Question, hits: Sequence[SearchHit], ids: set[str], types: tuple[InfoType, ...],
                  embedder: Embedder | None) -> list[tuple[int, Passage, Source]]:
    """Retrieved passages of on-focus sources whose section has no type, typed now from their heading
    and text: kept when a wanted type is the classifier's first reading, or its second at ``_SOFT``."""
    # a drug label's sections are typed by the label itself: one it leaves untyped (inactive
    # ingredients, dosage forms) answers no question type, whatever its words resemble
    untyped = [h for h in hits if h.source.id in ids and h.passage.section_type is None
               and h.source.kind.value in _KINDS and h.source.kind != SourceKind.DRUG_LABEL]
    if not untyped or embedder is None:
        return []
    read = classify(embedder, [section_text(h.passage.headings[-1] if h.passage.headings else "", h.passage.text)
                               for h in untyped], words=False)
    out = []
    for hit, scores in zip(untyped, read or [], strict=False):
        top = scores.ranked[:2]
        kind = next((t for i, (t, p) in enumerate(top) if t in types and (i == 0 or p >= _SOFT)), None)
        if kind is not None:
            out.append((-1, hit.passage.model_copy(update={"section_type": kind}), hit.source))
    return out


def route(store: KnowledgeStore, question: Question, hits: Sequence[SearchHit],
          embedder: Embedder | None = None) -> Routed:
    """The passages of on-focus sources whose section answers the question's type (may be none)."""
    types = wanted_types(question)
    if question.focus is None or not types:
        return Routed([], types)
    focus = question.focus
    retrieved: dict[str, int] = {}
    for hit in hits:
        retrieved.setdefault(hit.source.id, hit.rank)
    # a retrieved page titled by the subject speaks for it; a drug label only for the medicines it is
    # named for (in the focus index already): "Sodium Nitrite" is not about sodium
    ids = set(focus.source_ids) | {
        h.source.id for h in hits
        if h.source.kind.value in _KINDS and h.source.kind != SourceKind.DRUG_LABEL
        and FocusIndex.names_in(focus.names, h.source.title)}
    # what a medicine is, a label says in its Indications and Usage ("… is a vitamin K antagonist indicated
    # for …"); its Description is chemistry (formula, inactive ingredients), not an answer for a reader —
    # also when what it is comes second to what it is used for
    label_what = InfoType.INFORMATION in types
    usage_asked = InfoType.USAGE in types
    rows = store.typed_passages(sorted(ids), [t.value for t in (*types, InfoType.USAGE)] if label_what and not usage_asked
                                else [t.value for t in types])
    if label_what:
        rows = [r for r in rows if not (r[2].kind == SourceKind.DRUG_LABEL and r[1].section_type == InfoType.INFORMATION)
                and (usage_asked or r[2].kind == SourceKind.DRUG_LABEL or r[1].section_type != InfoType.USAGE)]
        if not usage_asked and any(r[1].section_type == InfoType.USAGE for r in rows):
            types = (*types, InfoType.USAGE)
    have = {p.id for _pk, p, _s in rows}
    rows += [r for r in _read_untyped(question, hits, ids, types, embedder) if r[1].id not in have]
    summary = False
    if not rows and InfoType.INFORMATION not in types:
        # no section gives the type: a page's summary may still say it, sentence by sentence (the
        # composer keeps only what the answer model reads as answering)
        rows = store.typed_passages(sorted(ids), [InfoType.INFORMATION.value])
        summary = True
    if question.narrower:  # a kind of the focus: only sections about that kind answer
        rows = [r for r in rows if FocusIndex.names_in([question.narrower], " ".join([r[2].title, *r[1].headings]))]
    if not rows:
        return Routed([], types)
    if summary:
        types = (*types, InfoType.INFORMATION)
    order = _ORDER.get(question.audience, _ORDER[Audience.CLINICIAN])
    patient = question.audience == Audience.PATIENT

    def source_key(source: Source, passages: list[Passage]) -> tuple[float, ...]:
        exact = _same_name(source.title, focus.name)
        best_type = min(types.index(p.section_type) for p in passages if p.section_type in types)
        kind = order.index(source.kind) if source.kind in order else len(order)
        return (best_type, kind, 0 if exact else 1, retrieved.get(source.id, 999), 0 if curated(source.id) else 1)

    by_source: dict[str, tuple[Source, list[Passage]]] = {}
    for _pk, passage, source in rows:
        by_source.setdefault(source.id, (source, []))[1].append(passage)
    # a page titled by the subject speaks for it; a page on a kind of it that lists its name among
    # its synonyms ("swine flu" under "flu") answers only when no such page does
    titled = {sid: item for sid, item in by_source.items() if _titled_by(item[0], focus.name)
              or item[0].kind == SourceKind.BOARD_REVIEWED}  # the board's own article on the question
    if titled:
        by_source = titled
    openers: set[str] = set()
    for _source, passages in by_source.values():
        at = {(p.position, tuple(p.headings)) for p in passages}
        openers.update(p.id for p in passages if (p.position - 1, tuple(p.headings)) not in at)
    keyed = sorted(((source_key(*item), item) for item in by_source.values()), key=lambda pair: pair[0])
    # a further source answers only with the type the best one answers with (not with a fallback type)
    ranked = [item for key, item in keyed if key[0] == keyed[0][0][0]][:MAX_SOURCES]
    out: list[SearchHit] = []
    for source, passages in ranked:
        def passage_key(p: Passage) -> tuple[int, int, int]:
            facing = patient_facing(p)
            return (types.index(p.section_type) if p.section_type in types else 99,
                    0 if facing == patient else 1, p.position)
        for passage in sorted(passages, key=passage_key)[:MAX_PASSAGES]:
            out.append(SearchHit(passage=passage, source=source, score=1.0 / (len(out) + 1), rank=len(out) + 1))
    return Routed(out, types, frozenset(openers), summary)

