"""The statement gate: the word checks, then the packaged model (shared by the composers and bench/).

``word_checked`` keeps the statements that read well, name the question's concepts
(``ontopic.py``) and give what it asks for; ``embed_candidates`` embeds those with the packaged model
and sets each one's cosine to the question; ``answering_evidence`` keeps the passages that hold
at least one statement passing the word checks (what the LLM composer is offered).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from curbside.answer.base import Evidence, QuestionAnalysis
from curbside.answer.select.ontopic import (
    Concepts,
    addressed_to_someone_else,
    asks_about_someone_else,
    concepts_of,
    for_the_page,
    question_concepts,
    reads_badly,
)
from curbside.answer.select.units import Unit, build_units
from curbside.answer.understand.analysis import focus_terms
from curbside.answer.understand.terms import concept_stem_list, concept_stems
from curbside.domain import Audience
from curbside.retrieval.embedder import Embedder, Vectors


def statement_text(unit: Unit) -> str:
    """What is embedded for a statement: the sentence and its list items."""
    return " ".join([unit.text, *unit.items])[:600]


def word_checked(analysis: QuestionAnalysis, units: list[Unit]) -> tuple[Concepts, list[Unit]]:
    """Mark units that fail the word checks off topic; the question's concepts and the survivors."""
    concepts = concepts_of(analysis)
    alternatives = [replace(question_concepts(c), lenient=True) for c in analysis.entities.compared[:3]]
    about: dict[str, frozenset[str]] = {}
    narrower: dict[str, frozenset[tuple[str, str]]] = {}
    for_a_child = asks_about_someone_else(analysis.question)
    # A patient names a condition by a short lay phrase ("sinus infection"): every phrase of the
    # question counts. A clinician's question is a long clause whose adjacent words cross phrases
    # ("a valid quality of life instrument"): only phrases the statements themselves use (not the
    # titles: a research title is often the question).
    terms = (concepts.phrases if analysis.audience == Audience.PATIENT
             else concepts.terms_in(u.low for u in units))
    keys = [f"{unit.title}|{'|'.join(unit.headings)}" for unit in units]
    stem_lists = [concept_stem_list(unit.low) for unit in units]  # once per statement: the checks share it
    stem_sets = [frozenset(stems) for stems in stem_lists]
    # a page the question names, and not only a kind of it ("hereditary fructose intolerance" for
    # fructose): advice to the people a page is about answers only such a question
    named_page: dict[str, bool] = {}
    for unit, key in zip(units, keys, strict=True):
        if key not in about:  # a page that calls itself by an acronym is titled by it too ("PID")
            about[key] = concept_stems(" ".join([unit.title, *unit.headings, *unit.acronyms]))
        if unit.title not in narrower:
            narrower[unit.title] = concepts.narrower(unit.title, analysis.question)
            named_page[unit.title] = bool(concepts.named(concept_stems(unit.title))) and not narrower[unit.title]
    concepts = concepts.keyed([concepts.named(own | about[key]) for own, key in zip(stem_sets, keys, strict=True)])
    for unit, key, stems, own in zip(units, keys, stem_lists, stem_sets, strict=True):
        unit.on_topic = (not reads_badly(unit.text)
                         # a page on a kind of the subject ("familial cold autoinflammatory
                         # syndrome" for a cold) lends the subject to none of its sentences
                         and any(c.on_topic(own, frozenset() if narrower[unit.title] else about[key])
                                 for c in [concepts, *alternatives] if c.terms or c is concepts)
                         and concepts.answers_ask(unit.low) and not concepts.scattered(stems, terms)
                         and not concepts.names_pair(stems, narrower[unit.title])
                         and (for_a_child or not addressed_to_someone_else(unit.text))
                         and (named_page[unit.title] or not for_the_page(unit.text)))
    return concepts, [u for u in units if u.on_topic]


def query_text(analysis: QuestionAnalysis, concepts: Concepts) -> str:
    """The question as compared with statements: a follow-up as its thread resolved it."""
    asked = concept_stems(analysis.question)
    return (analysis.question if set(concepts.terms) <= asked
            else analysis.retrieval_query or analysis.question)


def _on_its_page(concepts: Concepts, unit: Unit, text: str) -> str | None:
    """The statement as read on its page, when it leaves some of the question's concepts to the page:
    led by the question's words for them ("PID: Early treatment is important." on Pelvic Inflammatory
    Disease). The word checks have found the page about them; the model judges what the statement
    says about them. None when the statement names them all itself."""
    named = concepts.named(concept_stems(unit.low))
    lacking = [word for stem, word in concepts.terms.items() if stem not in named]
    return f"{' '.join(lacking)}: {text}" if lacking else None


#: A statement read with the question's words for what it leaves to its page clears a higher bar.
LEANING_MARGIN = 0.15


def embed_candidates(embedder: Embedder, analysis: QuestionAnalysis, concepts: Concepts,
                     candidates: list[Unit]) -> tuple[Vectors, Vectors]:
    """The question's vector and the statements' (rows in candidate order); sets each unit's
    ``similarity`` and ``vector``. A statement that leaves a concept to its page is also compared as
    read on that page (:func:`_on_its_page`), less ``LEANING_MARGIN``; it keeps the better of the two."""
    texts = [statement_text(u) for u in candidates]
    read = {i: on_page for i, (u, text) in enumerate(zip(candidates, texts, strict=True))
            if (on_page := _on_its_page(concepts, u, text)) is not None}
    vectors = embedder.embed([query_text(analysis, concepts), *texts, *read.values()])
    query, statements = vectors[0], vectors[1:len(candidates) + 1]
    on_page_vectors = dict(zip(read, vectors[len(candidates) + 1:], strict=True))
    for i, (unit, vector) in enumerate(zip(candidates, statements, strict=True)):
        unit.similarity, unit.vector = float(vector @ query), vector
        on_page = on_page_vectors.get(i)
        read_on_page = float(on_page @ query) - LEANING_MARGIN if on_page is not None else -1.0
        unit.leans = read_on_page > unit.similarity  # its page says what it is about
        unit.similarity = max(unit.similarity, read_on_page)
    return query, statements


def answering_evidence(analysis: QuestionAnalysis, evidence: Sequence[Evidence]) -> list[Evidence]:
    """The passages holding a statement that passes the word checks (the question's concepts, its
    ask, the phrase and page-kind checks): a writer offered a colitis page for a dose question writes
    about colitis. The similarity floor is the extractive composer's, for choosing single sentences;
    a writer draws on whole passages, and the verifier checks what it writes against them."""
    units = build_units(evidence, focus_terms(analysis), patient=analysis.audience == Audience.PATIENT)
    _concepts, candidates = word_checked(analysis, units)
    keep = {u.evidence for u in candidates}
    return [e for e in evidence if e.number in keep]
