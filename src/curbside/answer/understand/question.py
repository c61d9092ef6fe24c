"""The typed question: computed once per ask and passed down.

``understand`` reads what a question asks for (its :class:`~curbside.domain.InfoType`, by the
packaged classifier of ``kb/infotypes.py``), what it is about (its focus, linked to the knowledge
base's own names, synonyms and brand/generic drug names by ``kb/synonyms.FocusIndex``), who asks,
who it is about, and whether it continues a conversation curbside did not see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from curbside.answer.base import QuestionAnalysis
from curbside.answer.understand.terms import QUESTION_WORDS, STOPWORDS
from curbside.domain import Audience, InfoType, SearchHit
from curbside.kb.infotypes import TypeScores, classify
from curbside.kb.synonyms import FOCUS_KINDS, Focus, FocusIndex
from curbside.retrieval.embedder import Embedder
from curbside.text import words

#: A type is asked when the classifier gives it at least this probability …
ASK_FLOOR = 0.3
#: … and a second type only when it is nearly as likely as the first.
SECOND_RATIO = 0.6
#: Retrieved documents whose titles may name a subject the knowledge base has no name for …
_TITLE_HITS = 5
#: … by a word at most this many of its names share.
_RARE = 3
#: Words that ask rather than name (the section types' own words).
_ASKING = frozenset({"treat", "treated", "treatment", "treatments", "management", "manage", "managed", "symptoms",
                     "signs", "causes", "cause", "diagnosis", "diagnosed", "tests", "test", "prevention",
                     "prevent", "outlook", "prognosis", "complications", "dose", "dosage", "side", "effects",
                     "emergency", "therapy", "guideline", "guidelines", "protocol", "people", "patient",
                     "patients", "doctor", "first", "best", "recommended", "should", "would", "could"})


@dataclass(frozen=True)
class Question:
    """One question as curbside understands it."""

    text: str
    audience: Audience
    types: TypeScores | None  # None when the classifier cannot read this embedder's vectors
    focus: Focus | None
    others: tuple[Focus, ...]  # further subjects the question names
    population: str
    continues: bool

    @property
    def asked(self) -> tuple[InfoType, ...]:
        """The types asked for, most likely first: the best one when it clears :data:`ASK_FLOOR`,
        and the runner-up when it is nearly as likely."""
        if self.types is None or self.types.confidence < ASK_FLOOR:
            return ()
        (first, p1), *rest = self.types.ranked
        out = [first]
        if rest and rest[0][1] >= max(ASK_FLOOR, SECOND_RATIO * p1):
            out.append(rest[0][0])
        return tuple(out)

    def describe(self) -> dict[str, str]:
        """What was understood, for the answer's provenance."""
        out = {"asked": ",".join(t.value for t in self.asked)}
        if self.types is not None:
            out["type_scores"] = ", ".join(f"{t.value}:{p:.2f}" for t, p in self.types.ranked[:3])
        if self.focus is not None:
            out["focus"] = self.focus.name
        if self.population:
            out["population"] = self.population
        if self.continues:
            out["continues"] = "true"
        return out


def with_focus_from(question: Question, hits: Sequence[SearchHit], focus_index: FocusIndex) -> Question:
    """A question that names no subject the knowledge base has a name for takes one from the titles of
    the documents retrieved for it: a word of the question (not an asking word) that the title of
    one of the first retrieved guidelines, labels or pages has, and few of the knowledge base's names
    share — a site's "Hyperkalemia protocol" is about the hyperkalemia asked after."""
    if question.focus is not None:
        return question
    asked = {w for w in words(question.text) if len(w) >= 4 and w not in STOPWORDS and w not in QUESTION_WORDS
             and w not in _ASKING}
    best: tuple[int, str, list[SearchHit]] | None = None
    for hit in hits[:_TITLE_HITS]:
        if hit.source.kind.value not in FOCUS_KINDS:
            continue
        for word in asked & set(words(hit.source.title)):
            df = focus_index.word_frequency(word)
            if df > _RARE:
                continue
            if best is None or df < best[0]:
                best = (df, word, [])
    if best is None:
        return question
    word = best[1]
    ids = tuple(sorted({h.source.id for h in hits if h.source.kind.value in FOCUS_KINDS
                        and word in words(h.source.title)}))
    return replace(question, focus=Focus(word, (word,), ids))


def _naming(found: list[Focus]) -> list[Focus]:
    """The subjects found that name something: a title made of asking words ("What is") names nothing."""
    return [f for f in found if any(w not in STOPWORDS and w not in QUESTION_WORDS and w not in _ASKING
                                    for w in words(f.name))]


def understand(analysis: QuestionAnalysis, focus_index: FocusIndex, embedder: Embedder | None) -> Question:
    """The typed question for an analysed one."""
    scores = classify(embedder, [analysis.question]) if embedder is not None else None
    found = _naming(focus_index.find(analysis.question))
    if not found and analysis.in_thread and analysis.topic:  # a follow-up inherits its thread's subject
        found = _naming(focus_index.find(analysis.topic))
    return Question(
        text=analysis.question, audience=analysis.audience, types=scores[0] if scores else None,
        focus=found[0] if found else None, others=tuple(found[1:]), population=analysis.entities.population,
        continues=not found and not analysis.topic,
    )
