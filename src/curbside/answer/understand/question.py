"""The typed question: computed once per ask and passed down.

``understand`` reads what a question asks for (its :class:`~curbside.domain.InfoType`, by the
packaged classifier of ``kb/infotypes.py``), what it is about (its focus, linked to the knowledge
base's own names, synonyms and brand/generic drug names by ``kb/synonyms.FocusIndex``), who asks,
who it is about, and whether it continues a conversation curbside did not see.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from curbside.answer.base import QuestionAnalysis
from curbside.answer.understand.subject import asking_sentences, rank_subjects
from curbside.answer.understand.terms import QUESTION_WORDS, STOPWORDS
from curbside.domain import Audience, InfoType, SearchHit
from curbside.kb.infotypes import MEDICINE_TYPES, TypeScores, classify, type_model
from curbside.kb.synonyms import FOCUS_KINDS, Focus, FocusIndex
from curbside.retrieval.embedder import Embedder
from curbside.text import english_parser, without_placeholders, words

#: Where a title's subject ends ("Hendra virus: clinic protocol", "Gout (Patient Version)").
_TITLE_PARTS = re.compile(r"\s*(?::|\s-\s|\(|,|;)\s*")
#: Words after which a title qualifies its subject (for whom, when) rather than naming it.
_QUALIFIERS = frozenset({"in", "for", "during", "among", "after", "before", "with", "without"})
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
    #: A kind of the focus the question asks about ("cluster headache" of headache), that the knowledge
    #: base has no name for: only what names it answers.
    narrower: str = ""
    #: The focus was read off the titles of what retrieval found (the knowledge base has no name for it).
    focus_from_titles: bool = False

    @property
    def subject_words(self) -> frozenset[str]:
        """The words of the names of what the question is about (its focus and a narrower kind of it; not the
        further things it names, which may be what it asks of the focus: "an autoimmune disease")."""
        names = [self.narrower, *(self.focus.names if self.focus is not None else ())]
        return frozenset(w for name in names for w in words(name))

    @property
    def residual(self) -> tuple[str, ...]:
        """What the question asks *of* its subject beyond its type ("types" of hearing loss, "benign" brain
        tumours, "contagious"): the words of its asking sentences that name no subject of it and are not
        function, question or section-type words. Empty when it names no subject the knowledge base knows."""
        if self.focus is None:
            return ()
        subject = self.subject_words
        asking = words(asking_sentences(without_placeholders(self.text)))
        return tuple(dict.fromkeys(w for w in asking if w not in subject and _names(w) and not w.isdigit()))

    @property
    def asked(self) -> tuple[InfoType, ...]:
        """The types asked for, most likely first (:meth:`~curbside.kb.infotypes.TypeScores.asked` at the type
        model's floor)."""
        if self.types is None:
            return ()
        out = list(self.types.asked(type_model().floor))
        # a medicine question about pregnancy or breastfeeding asks what its label says of them first
        if out and self.population == "pregnancy" and out[0] in MEDICINE_TYPES and InfoType.PREGNANCY not in out:
            out.insert(0, InfoType.PREGNANCY)
        return tuple(out)

    def describe(self) -> dict[str, str]:
        """What was understood, for the answer's provenance."""
        out = {"asked": ",".join(t.value for t in self.asked)}
        if self.types is not None:
            out["type_scores"] = ", ".join(f"{t.value}:{p:.2f}" for t, p in self.types.ranked[:3])
        if self.focus is not None:
            out["focus"] = self.focus.name
        if self.narrower:
            out["narrower"] = self.narrower
        if self.population:
            out["population"] = self.population
        if self.continues:
            out["continues"] = "true"
        return out


def with_focus_from(question: Question, hits: Sequence[SearchHit], focus_index: FocusIndex) -> Question:
    """A question that names no subject the knowledge base has a name for takes one from the titles of
    the documents retrieved for it: the longest run of the question's words that the title of one of
    the first retrieved guidelines, labels or pages has too (its rarest word decides a tie), so a
    site's "Hyperkalemia: emergency protocol" is about the hyperkalemia asked after."""
    if question.focus is not None:
        return question
    asked = words(question.text)
    best: tuple[int, int, str] | None = None  # (content words, -rarity, phrase)
    for hit in hits[:_TITLE_HITS]:
        if hit.source.kind.value not in FOCUS_KINDS:
            continue
        core = words(_TITLE_PARTS.split(hit.source.title, maxsplit=1)[0])
        cut = next((i for i, w in enumerate(core) if i and w in _QUALIFIERS), len(core))
        core = _trimmed(core[:cut])  # "Kidney Stones in Adults" is about kidney stones
        run = _trimmed(_common_run(asked, core))
        if run != core:  # the question names the title's whole subject, not one word of it
            continue
        content = [w for w in run if _names(w)]
        if not content or min(focus_index.word_frequency(w) for w in content) > _RARE:
            continue
        rarity = min(focus_index.word_frequency(w) for w in content)
        key = (len(content), -rarity, " ".join(run))
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return question
    phrase = best[2]
    ids = tuple(sorted({h.source.id for h in hits if h.source.kind.value in FOCUS_KINDS
                        and FocusIndex.names_in([phrase], h.source.title)}))
    return replace(question, focus=Focus(phrase, (phrase,), ids), focus_from_titles=True)


def _names(word: str) -> bool:
    """A word that can name a subject (not an asking or function word)."""
    return len(word) >= 3 and word not in STOPWORDS and word not in QUESTION_WORDS and word not in _ASKING


def _common_run(a: list[str], b: list[str]) -> list[str]:
    """The longest run of consecutive words in both ``a`` and ``b``."""
    best: list[str] = []
    for i in range(len(a)):
        for j in range(len(b)):
            k = 0
            while i + k < len(a) and j + k < len(b) and a[i + k] == b[j + k]:
                k += 1
            if k > len(best):
                best = a[i : i + k]
    return best


def _trimmed(run: list[str]) -> list[str]:
    """A run without asking or function words at its ends."""
    start, end = 0, len(run)
    while start < end and not _names(run[start]):
        start += 1
    while end > start and not _names(run[end - 1]):
        end -= 1
    return run[start:end]


def subjects_named(text: str, focus_index: FocusIndex) -> list[Focus]:
    """The subjects ``text`` names, longest name first; a title made of asking words ("What is")
    names nothing."""
    return [f for f in focus_index.find(text) if any(_names(w) for w in words(f.name))]


def understand(analysis: QuestionAnalysis, focus_index: FocusIndex, embedder: Embedder | None) -> Question:
    """The typed question for an analysed one."""
    text = without_placeholders(analysis.question)
    asking = asking_sentences(text)  # a consult's story around the asking sentences is not what is asked
    # a follow-up in a thread ("what about in children?") asks what its thread asked: its query carries that
    read = analysis.retrieval_query if analysis.in_thread and analysis.retrieval_query else asking
    scores = classify(embedder, [read]) if embedder is not None else None
    # the subject is what the asking sentences name; a long message's story may name other things
    found = subjects_named(asking, focus_index) or subjects_named(text, focus_index)
    found = rank_subjects(text, found, focus_index, embedder)  # which of the named things it asks about
    if not found and analysis.in_thread and analysis.topic:  # a follow-up inherits its thread's subject
        found = subjects_named(analysis.topic, focus_index)
    return Question(
        text=analysis.question, audience=analysis.audience, types=scores[0] if scores else None,
        focus=found[0] if found else None, others=tuple(found[1:]), population=analysis.entities.population,
        continues=not found and not analysis.topic, narrower=narrower_than(text, found[0].name) if found else "",
    )


def compared_sides(question: Question) -> list[Focus]:
    """What a comparison compares: the subjects with sources the question names, in the order it names them
    (at most two; fewer when it names fewer)."""
    asked = f" {' '.join(words(question.text))} "
    found = []
    for focus in (question.focus, *question.others) if question.focus is not None else ():
        at = asked.find(f" {' '.join(words(focus.name))} ")
        if at >= 0 and focus.source_ids:
            found.append((at, focus))
    found.sort(key=lambda pair: pair[0])
    return [focus for _at, focus in found[:2]]


def narrower_than(text: str, name: str) -> str:
    """The kind of ``name`` the question asks about, when a noun before it makes one ("a cluster
    headache" of headache, read by spaCy's parse: a compound modifier, not an adjective like
    "severe"); empty when there is none. Parsed only when a word stands right before the name."""
    low = " ".join(words(text))
    at = f" {low} ".find(f" {name} ")
    before = low[:at].split() if at > 0 else []
    if not before or not _names(before[-1]):
        return ""
    doc = english_parser()(text)
    head = name.split()[-1]
    for token in doc:
        if token.lower_ != head:
            continue
        compounds = [c for c in token.lefts if c.dep_ == "compound" and c.lower_ not in name.split()]
        if compounds:
            start = min(c.left_edge.i for c in compounds)
            lefts = {c.i for c in token.lefts if c.dep_ in ("amod", "compound", "nmod")}
            while start - 1 in lefts:  # the modifiers run on before the noun ("sickle cell anemia")
                start -= 1
            return " ".join(words(doc[start : token.i + 1].text))
    return ""
