"""Repairs for word boundaries lost when a web page was flattened to plain text.

Two defects recur in scraped consumer pages (MedQuAD): a dash or line break dropped between two
words ("upper right abdomenthe area between the chest and hipsbelow the liver", which the page
wrote with em dashes), and footnote numbers glued to the end of a sentence ("population.1
However"), and apostrophes dropped from contractions ("dont"). Nothing here adds words: a repair only puts back a boundary.

A glued word is found with an English dictionary (pyspellchecker's, which holds many medical terms):
a lower-case token that is not a word but splits into a known word and a common word. The rules
that keep real words and names whole, with the reason for each:

- only lower-case tokens of 6+ letters are looked at (names such as "Noonan", "Sandhoff" are
  capitalised; short tokens are too ambiguous);
- the first part has 4+ letters, is a word on its own and is not a combining form ("peri",
  "hydroxy", "para" … make real terms: "periorbital", "hydroxyproline");
- the second part is a common word (dictionary frequency ≥ 1000) of 4+ letters, or one of a few
  short function words ("the", "and", "such" …); "is", "in", "an" … only after a common first
  part, "is" only after one of 5+ letters not ending in "-al"/"-ar" (Latin "fetalis", "cordis" and
  gene names "dynein", "kinesin" stay whole);
- tokens ending in a suffix-like word ("-ship", "-less", "-ally", "-form", "-virus") are left alone;
- a part the dictionary does not know (or knows only as rare) counts when the same document uses it
  as a word of its own ("malabsorptionbloating" in a page that also says "malabsorption" and
  "bloating").

The boundary put back is an em dash ("abdomen—the"), or a hyphen before words that form
compounds ("gluten-free").
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import cache, lru_cache

_FUNCTION_SHORT = frozenset({"an", "or", "in", "to", "of", "as", "at", "by", "be", "it", "on", "if", "so", "no", "is"})
_FUNCTION_WORDS = frozenset({
    "the", "and", "but", "for", "can", "may", "not", "who", "are", "was", "has", "had", "its", "one", "two",
    "any", "all", "how", "why", "due", "yet", "via", "per", "off", "out", "use", "you", "our",
})
_COMBINING = frozenset({
    "pseudo", "hyper", "hypo", "over", "under", "micro", "macro", "anti", "post", "super", "inter", "intra",
    "multi", "poly", "neuro", "self", "counter", "trans", "semi", "well", "back", "mini", "auto", "radio",
    "para", "supra", "hydroxy", "acetyl", "fiber", "peri", "extra", "meta", "contra", "ultra", "tree", "deer",
    "quit", "step", "skin", "blind", "hair", "tick", "weight", "tooth",
})
_SUFFIXES = ("ship", "ness", "less", "like", "wise", "ward", "able", "ally", "form", "virus", "viruses", "cycle")
_COMPOUND_SECOND = frozenset({"free", "related", "borne", "based", "induced", "associated", "term", "threatening",
                              "lasting", "shaped", "specific", "dependent", "type", "like", "converting"})
_O_ENDINGS_OK = frozenset({"also", "into", "who", "two", "too", "ratio"})
_TOKEN = re.compile(r"(?<![\w/.@-])([a-z]{6,})(?![\w/@-]|\.[A-Za-z])")
_FOOTNOTE = re.compile(r"(?<=[a-z)]{2}[.!?])\d{1,2}(?=\s+[A-Z(]|\s*$)")
_COMMON = 1000


@cache
def _dictionary() -> dict[str, int]:
    from spellchecker import SpellChecker

    frequencies: dict[str, int] = dict(SpellChecker(language="en").word_frequency.dictionary)
    return frequencies


def word_frequencies() -> Mapping[str, int]:
    """The English dictionary's words with how often each occurs in its corpus."""
    return _dictionary()


@cache
def english_words() -> frozenset[str]:
    """The English dictionary's words (pyspellchecker's; it holds many medical terms)."""
    return frozenset(_dictionary())


@lru_cache(maxsize=65536)
def split_glued(token: str, context: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """The two words a glued lower-case token is made of, or None for a real word.

    ``context`` holds the words the same document uses on their own: a part that the dictionary
    does not know well ("malabsorption", "bloating") counts as a word when the document uses it.
    """
    words = _dictionary()
    if len(token) < 6 or not token.islower() or token in words or token.endswith(_SUFFIXES):
        return None
    best: tuple[float, str, str] | None = None
    for i in range(4, len(token) - 1):
        first, second = token[:i], token[i:]
        f1 = words.get(first, 0)
        if first in _COMBINING or (f1 < 100 and not (len(first) >= 6 and first in context)):
            continue
        f1 = max(f1, 100)
        if second in _FUNCTION_SHORT:
            if f1 < _COMMON or (second == "is" and (len(first) < 5 or first.endswith(("al", "ar")))):
                continue
        elif second not in _FUNCTION_WORDS and (len(second) < 4 or words.get(second, 0) < _COMMON) and not (
                len(second) >= 6 and second in context and words.get(second, 0) >= 100):
            continue
        if first.endswith("o") and second not in _FUNCTION_SHORT and first not in _O_ENDINGS_OK:
            continue
        score = math.log(f1) + math.log(words.get(second, 1))
        if best is None or score > best[0]:
            best = (score, first, second)
    return (best[1], best[2]) if best else None


def document_vocabulary(text: str) -> frozenset[str]:
    """The lower-case words ``text`` uses on their own (the document's vocabulary)."""
    return frozenset(w.lower() for w in re.findall(r"[A-Za-z]{6,}", text))


def glued_words(text: str) -> list[str]:
    """The glued tokens in ``text`` (for reports and benchmarks)."""
    context = document_vocabulary(text)
    return [m.group(1) for m in _TOKEN.finditer(text) if split_glued(m.group(1), context)]


def repair_glued_words(text: str, vocabulary: frozenset[str] | None = None) -> str:
    """Put back the boundary inside every glued token ("abdomenthe" → "abdomen—the").

    ``vocabulary`` is :func:`document_vocabulary` of the whole document the text comes from (its
    words count as known words); by default the text's own.
    """
    if vocabulary is None:
        vocabulary = document_vocabulary(text)

    def fix(match: re.Match[str]) -> str:
        parts = split_glued(match.group(1), vocabulary)
        if parts is None:
            return match.group(0)
        first, second = parts
        return f"{first}{'-' if second in _COMPOUND_SECOND else '—'}{second}"

    return _TOKEN.sub(fix, text)


_CONTRACTIONS = {
    "dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "cant": "can't", "couldnt": "couldn't",
    "shouldnt": "shouldn't", "wouldnt": "wouldn't", "isnt": "isn't", "arent": "aren't", "wasnt": "wasn't",
    "werent": "weren't", "hasnt": "hasn't", "havent": "haven't", "hadnt": "hadn't", "youre": "you're",
    "theyre": "they're", "youve": "you've", "theyve": "they've", "youll": "you'll", "theyll": "they'll",
}
_CONTRACTION = re.compile(r"\b(" + "|".join(_CONTRACTIONS) + r")\b", re.IGNORECASE)


def restore_contractions(text: str) -> str:
    """Put back apostrophes the page lost in unambiguous contractions ("dont" → "don't")."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(1)
        fixed = _CONTRACTIONS[word.lower()]
        return fixed[:1].upper() + fixed[1:] if word[:1].isupper() else fixed

    return _CONTRACTION.sub(fix, text)


def strip_footnote_marks(text: str) -> str:
    """Drop footnote numbers glued after a sentence's full stop ("population.1 However")."""
    return _FOOTNOTE.sub("", text)


def footnote_marks(text: str) -> int:
    """How many glued footnote numbers ``text`` holds."""
    return len(_FOOTNOTE.findall(text))
