"""Street addresses as many countries write them, from the street types of ``faker``'s address providers.

``faker`` (MIT, already the source of the given names of :mod:`curbside.consult.people`) describes, for some
seventy locales, the words a street's name is built with: types written as words before or after the name
("Calle", "Rua", "ulica", "Strada", "Jl.", "utca", "Đường") and types written glued to it ("…straße", "…vej",
"…gatan", "…laan", "…katu"). :class:`WorldStreetRecognizer` reads a street of such a type together with its house
number — the number is what makes it an address and not a street named in passing — in the orders those
countries write it: "Calle Pte. Perón N° 5810", "ulica Powstańców Śląskich 529", "Balatonmelléki út 51.",
"Ahlmannsvej 4", "Holtstraße 9, 33242" (with a postcode of a format ``faker`` lists after it). A type that is also an
English word ("park", "ring", "via", "court") is left to the English recognizers, which read its capitals; a glued
type needs a word that is no English, medical or medicine word ("Marering 72", not "scoring 5"); no sentence may end
inside the street, and nothing after the number may count doses, time or a lab value ("sodium 128 mmol/L").
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache
from typing import Any

from curbside.consult.lexicons import is_plain_word
from curbside.consult.medical_terms import is_drug_name, is_unit
from curbside.consult.recognizers import RegexRecognizer, alternation

#: A locale's list longer than this holds street names, not types (Finland's genitive names, the USPS list
#: that ``pyap2`` gives the US recognizer already).
_LONGEST_LIST = 60
_ATTRIBUTES = ("street_prefixes", "street_prefixes_short", "street_prefixes_long",
               "street_suffixes", "street_suffixes_short", "street_suffixes_long")
#: What a number counts when it is no house number ("Via 3 doses", "ring 2 times").
_COUNTED = (r"mg|mcg|µg|ml|g|kg|lbs?|iu|units?|tabs?|tablets?|pills?|caps?|capsules?|drops?|puffs?|doses?|times|"
            r"x|days?|weeks?|months?|years?|yrs?|hours?|hrs?|minutes?|mins?|%|mmhg|bpm|cm|mm")
#: A word of a street's name (any script; "de", "la", "O'Brien", "Pte.").
_NAME_WORD = r"[^\W\d_][\w'’.-]*"
#: A house number, its mark ("Nr.", "N°", "No.", "#") and its unit or part ("9-8", "77F", "4/12").
_HOUSE = r"(?:(?:nr|no|n[°º]|num|#)\.?\s*)?\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?(?![.,]\d|\s?%)"
#: A glued type that this many medical words or medicine names end with is no type here.
_MEDICAL_ENDINGS = 10


def _entries(value: Any) -> list[str]:
    items = list(value.keys() if isinstance(value, dict) else value)
    if len(items) > _LONGEST_LIST:
        return []
    out = []
    for item in items:
        word = str(item).strip()
        if (word and word != "Street" and len(word.split()) <= 2 and not re.search(r"[{}%#\d]", word)
                and len(word.rstrip(".")) >= 2):
            out.append(word)
    return out


@cache
def street_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(street types written as words, street types written glued to the name), lower case, longest first."""
    import faker.providers.address as address

    words: set[str] = set()
    glued: set[str] = set()
    for module in pkgutil.iter_modules(address.__path__):
        provider = importlib.import_module(f"faker.providers.address.{module.name}").Provider
        formats = " ".join(getattr(provider, "street_name_formats", ()))
        for attribute in _ATTRIBUTES:
            entries = [e.lower() for e in _entries(getattr(provider, attribute, ()))]
            if "prefix" in attribute and "{{street_prefix}}{{" in formats:
                continue  # glued before a type ("Björk" of "Björkvägen"): a word of names, not a type
            if "suffix" in attribute and "}}{{street_suffix" in formats:
                glued.update(e for e in entries if len(e) >= 3 and " " not in e)
            else:
                words.update(entries)
    # a type that is an English word ("park", "ring", "rang", "court") is read by the English recognizers, which
    # know its capitals; here it would take "Park. EEG showed 3" or "a rust ring and visual acuity 20/60"
    words = {w for w in words if not _english(w.rstrip("."))}
    # a glued type that ends many medical words ("-lia" of genitalia, "-ring", "-lane") would read them as streets
    from curbside.consult.lexicons import lexicons
    from curbside.consult.medical_terms import drug_names

    medical = lexicons().medical_words | drug_names()
    lengths = sorted({len(g) for g in glued})
    endings: dict[str, int] = {}
    for word in medical:
        for n in lengths:
            if len(word) > n + 2 and (suffix := word[-n:]) in glued:
                endings[suffix] = endings.get(suffix, 0) + 1
    glued = {g for g in glued if endings.get(g, 0) < _MEDICAL_ENDINGS}

    def longest_first(values: set[str]) -> tuple[str, ...]:
        return tuple(sorted(values, key=lambda v: (-len(v), v)))
    return longest_first(words), longest_first(glued)


@cache
def postcode_pattern() -> str:
    """Postcodes as ``faker``'s locales format them ("#####", "##-###", "%###-###", "%### ??", "H-####"), as one
    alternation, longest first; formats of fewer than four symbols are left out."""
    import faker.providers.address as address

    formats: set[str] = set()
    for module in pkgutil.iter_modules(address.__path__):
        provider = importlib.import_module(f"faker.providers.address.{module.name}").Provider
        for fmt in getattr(provider, "postcode_formats", ()):
            # a locale that lists real postcodes ("67010") gives their shape; letter codes ("PNN NEE") are no format
            shape = re.sub(r"\d", "#", fmt) if isinstance(fmt, str) else ""
            if shape and "{" not in shape and len(shape.replace(" ", "")) >= 4 and not re.search(r"[A-Z]{2}", shape):
                formats.add(shape)
    table = {"#": r"\d", "%": r"[1-9]", "?": r"[A-Za-z]", " ": r"\s?"}

    def regex(fmt: str) -> str:
        return "".join(table.get(c, re.escape(c)) for c in fmt)
    return "|".join(regex(f) for f in sorted(formats, key=len, reverse=True))


def _alternation(values: tuple[str, ...]) -> str:
    """The words as one alternation, longest first, a full stop optional ("Av." or "Av")."""
    return alternation(values).replace(r"\.", r"\.?")


class WorldStreetRecognizer(RegexRecognizer):
    """A street of a type ``faker`` lists for some country, with its house number (ADDRESS)."""

    ENTITY, SCORE = "STREET_ADDRESS", 0.75

    def __init__(self) -> None:
        words, glued = street_words()
        kind = rf"(?P<type>{_alternation(words)})"
        not_counted = rf"(?![\w.,]*\s*(?i:{_COUNTED})\b)"
        # a postcode right after the number, before the town (European order): "Holtstraße 9, 33242 Wesel"
        post = rf"(?:,?\s+(?:{postcode_pattern()})\b(?![\w/.-]))?"
        patterns = [
            # type, name, number: "Calle Pte. Perón N° 5810", "ulica Powstańców Śląskich 529", "Via Antonetti, 70"
            re.compile(rf"(?i)\b{kind}\.?\s+(?P<name>(?:{_NAME_WORD}\s+){{0,3}}{_NAME_WORD}),?\s*{_HOUSE}\b{not_counted}{post}"),
            # number, type, name: "3, chemin de Delahaye", "676 Đường số 18" (the name may hold a number)
            re.compile(rf"(?i)\b\d{{1,5}}[A-Za-z]?,?\s+{kind}\.?\s+(?P<name>(?:{_NAME_WORD}\s+){{0,3}}{_NAME_WORD})"),
            # name, type, number: "Balatonmelléki út 51.", "Németszéki utca 54"
            re.compile(rf"(?i)\b(?P<name>(?:{_NAME_WORD}\s+){{0,2}}{_NAME_WORD})\s+{kind}\.?,?\s*{_HOUSE}\b{not_counted}{post}"),
        ]
        if glued:
            # a name glued to its type, then the number: "Ahlmannsvej 4", "Holtstraße 9-8", "Tveitvollen 77F"
            patterns.append(re.compile(
                rf"(?i)\b(?P<glued>[^\W\d_][\w'’-]{{2,}}?(?:{_alternation(glued)}))\.?,?\s*{_HOUSE}\b{not_counted}{post}"))
        super().__init__(patterns)

    def accept(self, text: str, match: re.Match[str]) -> bool:
        if any(len(word) > _ABBREVIATION or word.isupper() for word in _ENDS_SENTENCE.findall(match.group(0))):
            return False  # "… and DDAVP. Ring 0491 …": a sentence ends inside, it is no street's name
        after = [w for w in (t.strip(".,;:()") for t in text[match.end():].split(maxsplit=2)) if w]
        if after and is_unit(after[0]):
            return False  # "my sodium 128 mmol/L"
        if "glued" in match.re.groupindex:
            word = match.group("glued")
            return not is_plain_word(word) and not is_drug_name(word) and not _english(word)
        named = [w for w in match.group("name").split() if len(w) > 2 and w[0].isalpha()]
        # "ulica 5 tabletek", "calle the 3": a street is named by a word that is no plain or medical word
        return bool(named) and not all(is_plain_word(w.strip(".,'’")) for w in named)


#: A word before a full stop and a space: a sentence's end, unless it is an abbreviation ("Pte.", "av.").
_ENDS_SENTENCE = re.compile(r"([^\W\d_][\w'’-]*)\.\s")
_ABBREVIATION = 4
#: A word at least this frequent in English (pyspellchecker's counts: "park" 57,467, "rue" 3,319, "vale" 522)
#: is an English word first.
_ENGLISH = 500


def _english(word: str) -> bool:
    from curbside.consult.name_words import english_frequency

    return bool(english_frequency()[word.lower()] >= _ENGLISH)

