"""Is the retrieved evidence about the question? Decides what may be used, and when to abstain.

Two checks, both stated in the abstention reason when they fail:

- *semantic*: the best dense (cosine) similarity among the hits must reach
  ``settings.answer.min_relevance``;
- *lexical*: a passage is on topic when it names the question's subject (all of its key words, or
  two thirds of them for long names) and, for a finding in a body part ("calcification in the
  calf"), one of its sentences names the finding and that body region together.

Only on-topic passages are handed to a composer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from curbside.answer.base import QuestionAnalysis
from curbside.answer.select.ontopic import concepts_of, continues_elsewhere, needs_subject
from curbside.answer.understand.analysis import FocusTerms, focus_terms, subject_of
from curbside.answer.understand.terms import concept_stems, coverage, stem_set
from curbside.domain import AbstainKind, SearchHit
from curbside.text import split_sentences

#: A passage below this share of the threshold is not used even when it names the subject.
_DENSE_FLOOR = 0.75


@dataclass(frozen=True)
class Assessment:
    evidence: list[SearchHit]
    best_similarity: float | None
    reason: str = ""  # set when the answer must abstain
    uncovered: list[str] = field(default_factory=list)  # asked-about details no passage mentions
    kind: AbstainKind = AbstainKind.NONE


def _finding_in_region(hit: SearchHit, focus: FocusTerms) -> bool:
    """Whether one sentence (or the title) names both the finding and the body region asked about:
    "calcification … in the legs", not "calcification" here and "edema in the extremities" there."""
    for sentence in [hit.source.title, *split_sentences(hit.passage.text)]:
        if coverage(focus.head, stem_set(sentence)) >= _needed(focus.head) and focus.mentions_region(sentence):
            return True
    return False


def _needed(head: frozenset[str]) -> float:
    return 1.0 if len(head) <= 2 else 0.66


def subject_gate(analysis: QuestionAnalysis) -> Assessment | None:
    """Why a question cannot be answered whatever the evidence (it names nothing to look up, or it
    continues a conversation curbside did not see), or None when it can be."""
    if needs_subject(analysis):
        return Assessment([], None, "The question does not say what it is about (a condition, test or medicine), "
                                    "so there is nothing to look up. Ask again naming it — for example “Is "
                                    "ibuprofen an oral medicine?” — or ask it as a follow-up in the conversation "
                                    "it belongs to.", kind=AbstainKind.NEEDS_SUBJECT)
    if continues_elsewhere(analysis):
        return Assessment([], None, "The question reads as the next turn of an earlier conversation (“and”, "
                                    "“what about”, “this”), and what it refers to is not here, so curbside does "
                                    "not guess. Ask it in full — the condition or medicine and what you want to "
                                    "know — or ask it as a follow-up in the conversation it belongs to.",
                          kind=AbstainKind.NEEDS_SUBJECT)
    return None


def assess(analysis: QuestionAnalysis, hits: Sequence[SearchHit], min_relevance: float) -> Assessment:
    """The on-topic hits (in rank order) and, when there are none good enough, why."""
    query = analysis.retrieval_query or analysis.question
    gate = subject_gate(analysis)
    if gate is not None:
        return gate
    if not hits:
        return Assessment([], None, f"Searched the knowledge base for “{query}” and found nothing. "
                                    "The knowledge base does not cover this question.", kind=AbstainKind.NOT_COVERED)
    dense = [h.dense.score for h in hits if h.dense is not None]
    best = max(dense) if dense else None
    focus = focus_terms(analysis)
    concepts = concepts_of(analysis)
    subject = subject_of(analysis.entities, analysis.topic) or analysis.topic
    if concepts.terms and len(subject.split()) > 4:  # a topic the rules could not cut: name the concepts
        subject = " ".join(concepts.terms.values())
    on_topic: list[SearchHit] = []
    named_subject: list[str] = []  # titles of sources that name the subject
    for hit in hits:
        whole = " ".join([hit.source.title, *hit.passage.headings, hit.passage.text])
        names_head = not focus.head or coverage(focus.head, stem_set(whole)) >= _needed(focus.head)
        if names_head and hit.source.title not in named_subject:
            named_subject.append(hit.source.title)
        if concepts.terms:  # the question's own words (answer/select/ontopic.py), not a topic the rules guessed
            if len(concepts.named(concept_stems(whole))) < concepts.required:
                continue
        elif not names_head:
            continue
        if focus.region and not _finding_in_region(hit, focus):
            continue
        if hit.dense is not None and hit.dense.score < min_relevance * _DENSE_FLOOR:
            continue
        on_topic.append(hit)
    searched = f"Searched the knowledge base for “{query}” ({len(hits)} passages retrieved)"
    if best is not None and best < min_relevance:
        return Assessment([], best, f"{searched}; the closest passage has a similarity of {best:.2f}, below "
                                    f"the {min_relevance:.2f} this answer needs. The knowledge base does not "
                                    "cover this question, so curbside does not answer it rather than guess.",
                          kind=AbstainKind.NOT_COVERED)
    if not on_topic:
        if named_subject and focus.head:
            where = "; ".join(f"“{t}”" for t in named_subject[:3])
            rest = (f"the {analysis.entities.anatomy}" if focus.region and analysis.entities.anatomy
                    else "what the question asks about it")
            detail = f"passages mention {subject} (in {where}), but none of them is about {rest}"
        elif subject:
            detail = f"no passage is about {subject}"
        else:  # the rules found no subject to name ("What can I do?" after a story they could not read)
            detail = "no passage is about what the question names"
        return Assessment([], best, f"{searched}; {detail}. The knowledge base does not cover this question, "
                                    "so curbside does not answer it rather than guess.", kind=AbstainKind.OFF_TOPIC)
    uncovered = []
    all_stems = set().union(*(stem_set(" ".join([h.source.title, *h.passage.headings, h.passage.text]))
                              for h in on_topic))
    if focus.population and not focus.population & all_stems:
        uncovered.append(analysis.entities.population)
    return Assessment(on_topic, best, "", uncovered)
