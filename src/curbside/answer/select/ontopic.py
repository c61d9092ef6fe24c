"""What every statement of an answer must be about: the question's concepts and what it asks.

Precision comes first: an off-topic statement is worse than none. Three checks, with their word lists
stated as data in ``plans/analysis.toml`` (``[concepts]`` and ``[ask.*]``):

- **concepts**: the question's content words, less filler ("any thoughts on", "is it odd"),
  question words and stopwords, stemmed with the Snowball English stemmer. A statement is on topic
  when its own words together with its passage's title and headings name all of them (for four or
  more, three in four for five or more), and the statement itself names at least one of them — "ibuprofen" named
  in passing on a colitis page does not make a dose statement, and "augmentation" is not
  "Augmentin";
- **ask**: what the question asks for is the type the question-type classifier reads
  (:attr:`QuestionAnalysis.asked`); its ask leaves out the plan sections that do not give it and, for a
  cause, statements on what the subject causes. Whether a statement gives what is asked is judged by
  the learned statement model (``statement_model.py``), not by word patterns;
- **similarity**: the statement's cosine similarity to the question with the packaged embedding
  model (when the composer has it) reaches a floor.

Concepts no on-topic statement names are reported as not covered.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from typing import Any

from curbside.answer.base import QuestionAnalysis
from curbside.answer.understand.plans import SectionSpec, compile_all, load_data
from curbside.answer.understand.terms import QUESTION_WORDS, STOPWORDS, concept_stem, concept_stem_list
from curbside.domain import InfoType, Intent
from curbside.kb.measurements import measurement_spans, unit_test
from curbside.text import words


@dataclass(frozen=True)
class Ask:
    """What a question of one type (as the question-type classifier reads it) asks of the answer."""

    kind: InfoType
    off_sections: frozenset[str] = frozenset()  # plan sections that do not give it
    effects: bool = True  # False: what the subject causes does not give it ("what causes X?")
    title: str = ""  # how an article answering it is titled ("{topic}: How to Take It")
    words: frozenset[str] = frozenset()  # the question's words that ask (not the title's subject)

    @property
    def name(self) -> str:
        return self.kind.value


@dataclass(frozen=True)
class _Rules:
    fillers: frozenset[str]
    filler_pairs: frozenset[tuple[str, str]]
    asks: dict[InfoType, Ask]
    share: float
    min_similarity: float
    min_similarity_bottom: float
    continues: tuple[re.Pattern[str], ...]
    replies: tuple[re.Pattern[str], ...]
    generic: frozenset[str]
    complaints: frozenset[str]
    background: frozenset[str]
    qualifiers: frozenset[str]
    heads: frozenset[str]
    someone_else: tuple[re.Pattern[str], ...]
    asks_for_someone_else: tuple[re.Pattern[str], ...]
    for_the_page: tuple[re.Pattern[str], ...]
    variants: dict[str, frozenset[str]]  # a concept stem → the stems that name it too ("measure": "check")
    examples: frozenset[str]  # words that ask for examples of a kind


def _variants(lines: list[str]) -> dict[str, frozenset[str]]:
    """Each line of words names one thing: every word's stem is named by the others'."""
    out: dict[str, frozenset[str]] = {}
    for line in lines:
        group = frozenset(concept_stem(w) for w in line.split())
        for stem in group:
            out[stem] = out.get(stem, frozenset()) | (group - {stem})
    return out


def _ask(kind: str, raw: dict[str, Any]) -> Ask:
    return Ask(kind=InfoType(kind), off_sections=frozenset(raw.get("off_sections", [])),
               effects=bool(raw.get("effects", True)), title=str(raw.get("title", "")),
               words=frozenset(raw.get("words", [])))


def _stems_of(lines: list[str]) -> frozenset[str]:
    """The concept stems of a word list kept as lines of words in plans/analysis.toml."""
    return frozenset(concept_stem(w) for w in " ".join(lines).split())


@cache
def _rules() -> _Rules:
    data: dict[str, Any] = load_data("analysis")
    concepts = data["concepts"]
    asks = {InfoType(kind): _ask(kind, raw) for kind, raw in data.get("ask", {}).items()}
    return _Rules(fillers=frozenset(" ".join(concepts["fillers"]).split()), asks=asks,
                  filler_pairs=frozenset(tuple(p.replace("-", " ").split()[:2]) for p in concepts["filler_pairs"]),
                  share=float(concepts["share"]), min_similarity=float(concepts["min_similarity"]),
                  min_similarity_bottom=float(concepts["min_similarity_bottom"]),
                  continues=compile_all(concepts["continues"], "analysis.toml:concepts.continues"),
                  replies=compile_all(concepts["replies"], "analysis.toml:concepts.replies"),
                  generic=_stems_of(concepts["generic"]),
                  complaints=_stems_of(concepts["complaints"]),
                  background=frozenset(concepts["background"]),
                  qualifiers=_stems_of(concepts["qualifiers"]),
                  heads=_stems_of(concepts["heads"]),
                  someone_else=compile_all(concepts["someone_else"], "analysis.toml:concepts.someone_else"),
                  asks_for_someone_else=compile_all(concepts["someone_else_asked"],
                                                    "analysis.toml:concepts.someone_else_asked"),
                  for_the_page=compile_all(concepts["for_the_page"], "analysis.toml:concepts.for_the_page"),
                  variants=_variants(concepts.get("variants", [])),
                  examples=frozenset(concepts.get("examples", [])))


@dataclass(frozen=True)
class Concepts:
    """What the question is about (``terms``: stem → the word as asked) and what it asks for."""

    terms: dict[str, str]
    ask: Ask | None
    min_similarity: float
    min_similarity_bottom: float
    share: float
    lenient: bool = False  # one of several compared items: most of its words suffice
    phrases: tuple[tuple[str, ...], ...] = ()  # runs of adjacent concept words ("sinus infection")
    compounds: tuple[tuple[str, tuple[str, str]], ...] = ()  # "pinkeye" names "pink" and "eye"
    key: frozenset[str] = frozenset()  # concepts every statement needs even when a share suffices
    examples: bool = False  # it asks for examples of a kind ("an example of an oral antifungal")

    @property
    def required(self) -> int:
        n = len(self.terms)
        if self.lenient:
            return math.ceil(0.6 * n)
        return n if n <= 4 else math.ceil(self.share * n)

    def named(self, stems: Iterable[str]) -> set[str]:
        have = set(stems)
        for joined, parts in self.compounds:  # "Pinkeye" for "pink eye", "heartburn" for "heart burn"
            if joined in have:
                have.update(parts)
        variants = _rules().variants  # "check your blood pressure" measures it
        return {t for t in self.terms if t in have or variants.get(t, frozenset()) & have}

    def on_topic(self, own: frozenset[str], about: frozenset[str]) -> bool:
        """A statement (its stems ``own``) in a passage about ``about`` (title, headings) is on topic."""
        if not self.terms:
            return True
        mine = self.named(own)
        titled = self.named(about)
        together = mine | titled
        if len(together) < self.required or not self.key <= together:
            return False
        return bool(mine) or len(titled) == len(self.terms)

    @property
    def specific(self) -> bool:
        """Whether a concept names which condition, medicine or test, not only a kind ("an antibiotic")."""
        return any(stem not in _rules().generic for stem in self.terms)

    @property
    def only_complaints(self) -> bool:
        """Whether every concept is a complaint ("Anything for a sore throat?", "something for the pain?")."""
        return bool(self.terms) and all(t in _rules().complaints for t in self.terms)

    @property
    def kind_is_enough(self) -> bool:
        """A question about only a kind of thing that still says what it wants: examples of the kind ("What
        is an example of an oral antifungal?") or relief of a complaint ("What can I take for the nausea?")."""
        if self.examples:
            return True
        if self.ask is None:
            return False
        return self.ask.kind == InfoType.TREATMENT and any(t in _rules().complaints for t in self.terms)

    def scattered(self, stems: Sequence[str], phrases: Iterable[tuple[str, ...]] | None = None) -> bool:
        """Whether a statement (its concept stems in order) names every word of one of the question's
        phrases (or of ``phrases``) but never together: "sinus infection" is not "preauricular
        sinuses … unless they become infected". Together means within a window of two more words
        than the phrase, in any order ("infection of the sinuses")."""
        have = set(stems)
        for phrase in self.phrases if phrases is None else phrases:
            if set(phrase) <= have and not _together(phrase, stems):
                return True  # (a statement that leans on its title for part of it is not checked)
        return False

    def keyed(self, named_by: Sequence[Collection[str]]) -> Concepts:
        """When a share of the concepts suffices (five or more), the one the evidence names least
        (``named_by``: what each statement names, with its title) is still needed: "Is taking a
        multivitamin linked to increased breast cancer risk?" is not answered by what
        increases the risk of breast cancer ("oral contraceptives …") — those words are everywhere
        in the passages, "multivitamin" in few. A concept no passage names is left to the share
        (and reported as not covered)."""
        if self.required >= len(self.terms):
            return self
        counts = {term: sum(term in named for named in named_by) for term in self.terms}
        found = [n for n in counts.values() if n]
        if not found:
            return self
        least = min(found)
        return replace(self, key=frozenset(t for t, n in counts.items() if n == least))

    def terms_in(self, texts: Iterable[str]) -> tuple[tuple[str, ...], ...]:
        """The question's phrases that some text says together: terms the sources use ("sinus
        infection"), not words of a clause that only the question puts side by side ("a valid
        quality of life instrument", "financial incentives cost-effective")."""
        left = list(self.phrases)
        found: list[tuple[str, ...]] = []
        for text in texts:
            if not left:
                break
            stems = concept_stem_list(text)
            for phrase in [p for p in left if _together(p, stems)]:
                found.append(phrase)
                left.remove(phrase)
        return tuple(found)

    def narrower(self, title: str, question: str) -> frozenset[tuple[str, str]]:
        """Adjacent word pairs that make a page title a kind of what was asked: "whooping cough" for
        a question on a cough, "atopic dermatitis" and "dermatitis herpetiformis" for "What is
        dermatitis?" — a word before a question concept, or after one at the title's end, that the
        question does not use (nor a stopword, a qualifier such as "acute" before it, or a head such
        as "disorders" after it: "Anxiety Disorders" is about anxiety)."""
        asked = {concept_stem(w) for w in words(question)}
        rules = _rules()
        pairs = set()
        for part in _TITLE_PARTS.split(title):  # "Hematuria (Blood in the Urine)": two names, not one
            stems = concept_stem_list(part)
            for i in range(1, len(stems)):
                before, word = stems[i - 1], stems[i]
                kind_before = (word in self.terms and before not in self.terms  # "Whooping Cough"
                               and before not in asked | STOPWORDS | rules.qualifiers)
                kind_after = (before in self.terms and word not in self.terms and i == len(stems) - 1
                              and word not in asked | STOPWORDS | rules.heads)  # "Dermatitis herpetiformis"
                if kind_before or kind_after:
                    pairs.add((before, word))
        return frozenset(pairs)

    @staticmethod
    def names_pair(stems: Sequence[str], pairs: frozenset[tuple[str, str]]) -> bool:
        """Whether a statement (its concept stems in order) says one of the (modifier, concept)
        pairs as adjacent words."""
        return bool(pairs) and any(pair in pairs for pair in pairwise(stems))

    def answers_ask(self, text: str) -> bool:
        """Whether a statement may give what is asked: not what the subject causes when a cause is asked.
        Whether it gives it is the models' judgement (the statement model), not a word pattern's."""
        return self.ask is None or self.ask.effects or not says_what_it_causes(text, self)

    def phrase(self, question: str) -> str:
        """The concepts as the question words them: runs of consecutive concept words joined by "and"."""
        runs: list[list[str]] = []
        last = -2
        for i, word in enumerate(words(question)):
            if concept_stem(word) in self.terms and (len(word) > 1 or word in self.terms):  # "vitamin K"
                if i == last + 1 and runs:
                    runs[-1].append(word)
                else:
                    runs.append([word])
                last = i
        parts = list(dict.fromkeys(" ".join(r) for r in runs))[:3]  # "To nap or not to nap": once
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1] if parts else ""

    def missing(self, said: Iterable[frozenset[str]]) -> list[str]:
        """Question words no statement names (reported as not covered)."""
        have: set[str] = set()
        for stems in said:
            have |= self.named(stems)
        return [word for stem, word in self.terms.items() if stem not in have]


def asking_words(asked: Sequence[InfoType]) -> frozenset[str]:
    """The words with which questions of the types ``asked`` ask for them ("used" for what a medicine is used
    for, "cause" for causes): ``[ask.<type>] words`` of plans/analysis.toml."""
    asks = _rules().asks
    return frozenset(w for kind in asked if kind in asks for w in asks[kind].words)


def concepts_of(analysis: QuestionAnalysis) -> Concepts:
    """The concepts of an analysed question: its topic when the rules cut a short one ("symptoms of
    hypoglycemia" → hypoglycemia), else the whole question; the ask from the type the question asks for."""
    topic = analysis.topic
    anatomy = analysis.entities.anatomy
    if anatomy and not analysis.entities.finding:  # "in the chest" added from another clause
        topic = topic.removesuffix(f" in the {anatomy}")
    whole = question_concepts(analysis.question, asked=analysis.asked)
    if topic and len(topic.split()) <= 4:
        short = question_concepts(topic)
        if short.terms:
            return Concepts(terms=short.terms, ask=whole.ask, examples=whole.examples, min_similarity=whole.min_similarity,
                            min_similarity_bottom=whole.min_similarity_bottom, share=whole.share,
                            phrases=short.phrases, compounds=short.compounds)
    if not whole.terms and topic:  # a follow-up that names nothing: its thread's topic
        return question_concepts(f"{topic} {analysis.question}", asked=analysis.asked)
    return whole


_TITLE_PARTS = re.compile(r"[():;,]|\s[-–—]\s")
_REFERS_BACK = re.compile(r"\b(?:it|its|it's|this|that|these|those|them|they|he|she|his|her|what i have|what i've got|"
                          r"my condition)\b", re.IGNORECASE)


#: "Should I take painkillers?", "Would steroids help?", "What vitamin should I get?", "What
#: over-the-counter medicine do you recommend?": a judgement on the asker's own case, which one word
#: cannot carry (for what?).
_PERSONAL = re.compile(r"^\W*(?:(?:so|and|but|also|ok|okay|then)\W+)*(?:should i|would|will|do you think|can i|could i|"
                       r"get i|shall i|may i|am i|do i need)\b"
                       r"|\b(?:should i (?:get|take|use|buy|try)|(?:you|u) (?:can |could |would |do )?recommend|an? option|i (?:also |still )?need to)\b",
                       re.IGNORECASE)


def asks_about_someone_else(question: str) -> bool:
    """Whether the question is about a child ("What can I give my son for his cough?")."""
    return any(p.search(question) for p in _rules().asks_for_someone_else)


def for_the_page(statement: str) -> bool:
    """Whether a statement is advice to, or about, the people its page is about ("Avoid taking iron
    …", "Affected individuals develop …"): it answers only a question that names the page's
    subject."""
    return any(p.search(statement) for p in _rules().for_the_page)


def addressed_to_someone_else(statement: str) -> bool:
    """Whether a statement is addressed to a child's carer ("Talk with your child's doctor about
    your child's cough"): it answers only a question about a child."""
    return any(p.search(statement) for p in _rules().someone_else)


_CAUSE_VERB = re.compile(r"\b(?:cause[sd]?|causing|lead(?:s|ing)? to|led to|result(?:s|ed|ing)? in|"
                         r"bring(?:s|ing)? on|trigger(?:s|ed|ing)?)\b", re.IGNORECASE)
_PASSIVE = re.compile(r"\b(?:is|are|be|been|was|were|being)\s+(?:\w+\s+)?$", re.IGNORECASE)


def says_what_it_causes(text: str, concepts: Concepts) -> bool:
    """Whether a sentence says what the question's subject causes, not what causes it: "Sjögren's
    syndrome may cause skin dryness" (an effect) against "Heartburn is caused by stomach acid" and
    "Often, colds and flu cause sore throats" (causes of heartburn, of a sore throat)."""
    verb = _CAUSE_VERB.search(text)
    if verb is None or _PASSIVE.search(text[: verb.start()]):
        return False
    before = concepts.named(concept_stem_list(text[: verb.start()]))
    after = concepts.named(concept_stem_list(text[verb.end():]))
    return bool(before) and not after


def focused_sections(sections: Sequence[SectionSpec], analysis: QuestionAnalysis) -> tuple[SectionSpec, ...]:
    """The plan's sections less its background ("What It Is", "Medical Terms Explained") unless the
    question asks what something is, and less the sections its ask says do not give it: "What causes
    UTIs?" is answered with causes, not with what a UTI is, and "What can I take for the nausea?"
    with what helps, not with what nausea does or what causes it."""
    ask = concepts_of(analysis).ask
    if ask is None and analysis.intent in (Intent.GENERAL, Intent.MEANING):
        return tuple(sections)
    off = _rules().background | (ask.off_sections if ask is not None else frozenset())
    return tuple(spec for spec in sections if spec.key not in off)


def _points_elsewhere(question: str, concepts: Concepts) -> bool:
    """A pronoun before the question names its subject points at something said elsewhere ("Is it
    an abscess?"); one after it points back at that subject ("If I start melatonin, when is the best
    time to take it?"), and "how long does it take" points at nothing."""
    named = [m.start() for m in re.finditer(r"[\w']+", question) if concept_stem(m.group(0)) in concepts.terms]
    first = min(named, default=len(question))
    return any(m.start() < first and not _DUMMY_IT.match(question, m.start())
               for m in _REFERS_BACK.finditer(question))


_DUMMY_IT = re.compile(r"it (?:takes?|took)\b", re.IGNORECASE)
_ELLIPTICAL = re.compile(r"^\W*(?:\w+\W+)?(?:what|how) about\b", re.IGNORECASE)


def _stands_alone(analysis: QuestionAnalysis, concepts: Concepts) -> bool:
    """A whole question about a specific condition or medicine, however it begins: "Also what is the
    main symptom of sciatica?", "So sciatica is a problem with the sciatic nerve?" — not
    "What about asthma?", "Or maybe naproxen?" or a judgement on the asker's own case."""
    question = analysis.question
    return (concepts.specific and len(words(question)) >= 5 and not _ELLIPTICAL.search(question)
            and not _points_elsewhere(question, concepts) and _PERSONAL.search(question) is None)


def _treats_nothing_named(analysis: QuestionAnalysis, concepts: Concepts) -> bool:
    """A treatment question whose only specific words are a medicine: what it treats was said
    elsewhere ("is amoxicillin the only treatment?")."""
    if concepts.ask is None or concepts.ask.kind != InfoType.TREATMENT or not analysis.entities.drug:
        return False
    drug = {concept_stem(w) for w in words(analysis.entities.drug)}
    rules = _rules()
    return all((stem in rules.generic and stem not in rules.complaints) or stem in drug for stem in concepts.terms)


def continues_elsewhere(analysis: QuestionAnalysis) -> bool:
    """True when a first question reads as the next turn of a conversation curbside did not see
    ("Ok and a steroid?", "What about the nasal spray?", "Could this be an ear infection?",
    "Should I put heat on my knee also"): what it asks depends on what was said before. In a thread
    the earlier turn supplies that, so only questions outside a thread count; a whole question about
    a specific condition or medicine stands alone however it begins (:func:`_stands_alone`), but a
    reply ("No antihistamines will work with my blood pressure pills?") does not."""
    if analysis.in_thread:
        return False
    rules = _rules()
    if any(p.search(analysis.question) for p in rules.replies):
        return True
    return (any(p.search(analysis.question) for p in rules.continues)
            and not _stands_alone(analysis, concepts_of(analysis)))


def needs_subject(analysis: QuestionAnalysis) -> bool:
    """True when the question names nothing to look up: no concept at all, or one word beside a
    pronoun that points at something said elsewhere ("Does this come as a pill?", "Which
    treatment is used if it comes back?", "Is it a cyst?") or in a judgement on the asker's own
    case ("Should I take painkillers?"), and no earlier turn of a thread supplied the subject. A
    pronoun after a specific medicine or condition refers to it ("How long does it take for
    sertraline to start working?", "If I start melatonin, when is the best time to take it?")."""
    concepts = concepts_of(analysis)
    if not concepts.terms:
        return True
    from_thread = not set(concepts.terms) <= {concept_stem(w) for w in words(analysis.question)}
    if from_thread:
        return False
    if not concepts.specific and not concepts.kind_is_enough and not _complaint_in_general(analysis.question):
        return True  # "Will nasal sprays work?", "Is the rash contagious?"
    if _treats_nothing_named(analysis, concepts):  # "is amoxicillin the only treatment?"
        return True
    if len(concepts.terms) > 1:
        return False
    if _PERSONAL.search(analysis.question) is not None:
        return True
    if concepts.specific:
        return _points_elsewhere(analysis.question, concepts)
    return _REFERS_BACK.search(analysis.question) is not None


_PHRASE_MAX = 3
#: Words a single letter after names something: "vitamin K", "hepatitis C", "type 1" is a number.
_LETTER_NAMES = frozenset(["vitamin", "vitamins", "hepatitis"])
#: "the cough", "my rash", "this pain": the asker's own complaint, told about elsewhere.
_OWN = frozenset(["the", "my", "this", "that", "these", "those", "his", "her", "your", "our", "their", "its"])


def _complaint_in_general(question: str) -> bool:
    """Whether the question names a complaint in general — "What causes chest pain?", "How long
    does a cold last?", "What is heartburn?" — which a page on it answers, not one it points at
    ("Is the rash contagious?", "How long will my cough last?") or a kind of medicine alone."""
    complaints = _rules().complaints
    tokens = words(question)
    for i, word in enumerate(tokens):
        if concept_stem(word) in complaints and not _OWN & set(tokens[max(0, i - 2):i]):
            return True
    return False


def _together(phrase: tuple[str, ...], stems: Sequence[str]) -> bool:
    width = len(phrase) + 2
    need = set(phrase)
    return any(need <= set(stems[i:i + width]) for i in range(max(1, len(stems) - width + 1)))


def _without_strengths(question: str) -> str:
    """The question less its measurements: a strength or an amount ("40mg", "200 mg", "5 ml") is not what it is
    about, and a source that answers it seldom repeats the asker's figure."""
    for start, end in reversed(measurement_spans(question, unit_test(STOPWORDS))):
        question = f"{question[:start]} {question[end:]}"
    return question


def question_concepts(question: str, *, extra_drop: Iterable[str] = (), asked: Sequence[InfoType] = ()) -> Concepts:
    """The concepts of ``question`` (a follow-up passes its resolved question) and the ask of the type it asks
    for (``asked``, most likely first: :attr:`QuestionAnalysis.asked`)."""
    rules = _rules()
    drop = set(extra_drop)
    terms: dict[str, str] = {}
    runs: list[list[str]] = [[]]
    compounds: dict[str, tuple[str, str]] = {}
    last = ""
    tokens = words(_without_strengths(question))
    in_pair = {i + k for i, pair in enumerate(pairwise(tokens)) if pair in rules.filler_pairs for k in (0, 1)}
    for i, word in enumerate(tokens):
        stem = concept_stem(word)
        if len(word) == 1 and i and tokens[i - 1] in _LETTER_NAMES:  # "vitamin K" is not vitamin C
            stem = word
        elif (len(word) < 2 or word in STOPWORDS or word in QUESTION_WORDS or word in rules.fillers
                or word in drop or word.isdigit() or stem in rules.fillers or i in in_pair):
            runs.append([])
            last = ""
            continue
        terms.setdefault(stem, word)
        if last and runs[-1] and runs[-1][-1] != stem:  # two words a source may write as one
            compounds.setdefault(concept_stem(last + word), (runs[-1][-1], stem))
        runs[-1].append(stem)
        last = word
    ask = rules.asks.get(asked[0]) if asked else None
    # two or three adjacent concept words name one thing ("sinus infection", "measure blood pressure");
    # a longer run is a clause of the question ("horizontal semicircular canal ocular reflex influenced")
    phrases = tuple(tuple(dict.fromkeys(run)) for run in runs if 2 <= len(set(run)) <= _PHRASE_MAX)
    return Concepts(terms=terms, ask=ask, min_similarity=rules.min_similarity,
                    min_similarity_bottom=rules.min_similarity_bottom,
                    share=rules.share, phrases=phrases, compounds=tuple(compounds.items()),
                    examples=bool(rules.examples & set(tokens)))


_RUN_ON = re.compile(r"[a-z,] [A-Z][a-z]+ [a-z]+ [a-z]+ [A-Z][a-z]+ ")
_BOILERPLATE = re.compile(r"Human Phenotype Ontology|Approximate number of patients|\bEspa(?:ñ|)ol\b")
#: "There are many things you can do to help ease pain.": says that answers exist, not one of them.
_EMPTY = re.compile(r"^\W*(?:\w+,\s+)?there are (?:many|lots of|a (?:number|variety) of|several|various|different) "
                    r"(?:things|ways|options|choices)\b[^.;:]*\.?$"
                    # "Your dietitian will give you more specific information about …": says where, not what
                    r"|\b(?:will|can|may|could) (?:give|provide|offer) you (?:more )?(?:specific |detailed )?information\b"
                    # a reference's title read as a sentence: "Iodine deficiency in pregnancy …: a review."
                    r"|:\s*(?:an? )?(?:review|systematic review|meta-analysis|case report|case series)\W*$",
                    re.IGNORECASE)


def reads_badly(text: str, words_limit: int = 60) -> bool:
    """A flattened list or heading run into a sentence, an over-long span, database boilerplate, or
    a sentence that only says there are many ways to do what was asked."""
    if len(text.split()) > words_limit or _BOILERPLATE.search(text) or _EMPTY.search(text):
        return True
    return len(_RUN_ON.findall(text)) >= 2
