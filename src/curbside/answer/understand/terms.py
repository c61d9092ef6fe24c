"""curbside's one word vocabulary: stopwords, the stemmer, content words and overlap measures.

Question analysis, sentence scoring (the extractive composer) and statement verification
(``verify.py``) all read words through this module, so the composer and the verifier agree on
which words match.

The stemmer is deliberately crude and deterministic (suffix stripping, then a six-letter prefix):
it only has to make "calcification", "calcifications" and "calcified" meet, and "treat",
"treated" and "treatment". (Snowball English and Porter were measured in its place in December
2026: each changed golden answers, so the hand-written rules stay.)

The stopword list is the union of the composer's and the verifier's former lists, less "need"
(a statement such as "You may need treatment" must keep two content words): with it the golden
answers and the verifier's decisions on them are unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

from curbside.text import words

_STOPWORD_TEXT = """
a about above after again against all almost also am an and any are aren't as at be because been
before being below between both but by can can't cannot could did didn't do does doesn't doing don't
down during each either else etc ever every few for from further get gets getting got had hasn't has
have haven't having he her here hers herself him himself his how however i if in into is isn't it
it's its itself just let's like may me might more most much must my myself no nor not now of
off on once one only or other ought our ours ourselves out over own per please really same shall
she should shouldn't so some such than that that's the their theirs them themselves then there
these they this those though through thus to too under until up upon us very via was wasn't we
were what what's when where whether which while who whom whose why will with within without would
you your yours yourself yourselves
although done least less many often otherwise rather since usually yet
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_NUMBER_WORD = re.compile(r"[\d.,]+")

#: Words that say what kind of answer is wanted, not what it is about.
_QUESTION_WORD_TEXT = """
appropriate best recommended recommend current standard usual typical common commonly general
generally mean means meaning meant understand understanding explain explanation tell know
information info options option approach approaches way ways help anything something thing things
happen happens happening done doing treat treated treating treatment treatments manage managed
managing management therapy therapies initial first line first-line work-up workup evaluation
evaluate assess assessment cause causes caused causing symptom symptoms sign signs diagnose
diagnosed diagnosis diagnosing test tests testing prognosis outlook prevent prevention prevented
medication medications medicine medicines drug drugs difference differences versus vs compare
compared comparison better worse should see seen show shows showed found finding findings
result results report reported having have has doctor doctors say said
"""
QUESTION_WORDS = frozenset(_QUESTION_WORD_TEXT.split())

_SUFFIXES = (
    "ications", "ication", "ational", "ations", "ation", "ements", "ement", "ments", "ment",
    "ness", "ities", "ity", "ings", "ing", "edly", "ied", "ies", "ed", "es", "s",
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem: strip one common suffix (keeping four letters), then keep six letters."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                continue
            w = w[: -len(suffix)]
            if suffix in ("ied", "ies"):
                w += "y"
            break
    return w[:6]


_SNOWBALL = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def concept_stem(word: str) -> str:
    """A precise stem for matching what a question is about (answer/select/ontopic.py): Snowball English,
    folding the variants it leaves ("calcifi" / "calcif"). Unlike :func:`stem` it keeps whole
    words apart ("Augmentin" ≠ "augmentation"); :func:`stem` stays the composer's and verifier's
    looser overlap measure, whose figures the golden answers fix."""
    stemmed: str = _SNOWBALL.stemWord(word.lower().replace("\u2019", "'").removesuffix("'s"))
    if len(stemmed) > 4 and stemmed[-1] in "ie":
        stemmed = stemmed[:-1]
    return stemmed


def concept_stem_list(text: str) -> list[str]:
    """Concept stems of the words of ``text``, in order (for checks on which words stand together)."""
    return [concept_stem(w) for w in words(text)]


def concept_stems(text: str) -> frozenset[str]:
    """Concept stems of every word of ``text``."""
    return frozenset(concept_stem_list(text))


def content_words(text: str, *, drop: Iterable[str] = (), split_compounds: bool = False,
                  keep_numbers: bool = True) -> list[str]:
    """Lower-case words of ``text`` without stopwords (and without ``drop``) or single letters.

    ``split_compounds`` reads "covid-19" as "covid" and "19"; ``keep_numbers=False`` leaves out
    bare numbers ("3.5") — the verifier checks numbers on their own.
    """
    dropped = set(drop)
    tokens = words(text)
    if split_compounds:
        tokens = [part for w in tokens for part in w.split("-") if part]
    return [w for w in tokens if w not in STOPWORDS and w not in dropped and len(w) > 1
            and (keep_numbers or not is_number(w))]


def is_number(word: str) -> bool:
    """A bare number such as "12", "3.5" or "1,000"."""
    return bool(_NUMBER_WORD.fullmatch(word))


def stems(text: str, *, drop: Iterable[str] = ()) -> list[str]:
    """Stems of the content words of ``text``, in order, repeats kept."""
    return [stem(w) for w in content_words(text, drop=drop)]


def stem_set(text: str) -> frozenset[str]:
    return frozenset(stems(text))


def jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def coverage(needed: Iterable[str], have: frozenset[str] | set[str]) -> float:
    """Share of ``needed`` stems present in ``have`` (1.0 when nothing is needed)."""
    need = set(needed)
    if not need:
        return 1.0
    return len(need & have) / len(need)
