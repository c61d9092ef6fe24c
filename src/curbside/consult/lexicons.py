"""The de-identification word lists of ``data/deid.toml``: eponyms, head nouns, titles, surnames.

Kept apart from the recognizers so that the eponym rule can be used without loading Presidio.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from curbside.rules import RuleModel, load_rules, rule_file


class _Eponyms(RuleModel):
    unambiguous: list[str]
    ambiguous: list[str]
    head_nouns: list[str]


class _Medical(RuleModel):
    words: list[str]
    suffixes: list[str]


class _Names(RuleModel):
    titles: list[str]
    surnames: list[str]


class _Holidays(RuleModel):
    aliases: list[str]


class _Facilities(RuleModel):
    chains: list[str]


class DeidFile(RuleModel):
    """The shape of ``data/deid.toml`` (an unknown key is an error naming it)."""

    eponyms: _Eponyms
    medical: _Medical
    names: _Names
    holidays: _Holidays
    facilities: _Facilities


@dataclass(frozen=True)
class Lexicons:
    unambiguous_eponyms: frozenset[str]
    ambiguous_eponyms: frozenset[str]
    head_nouns: frozenset[str]
    titles: tuple[str, ...]
    surnames: tuple[str, ...]
    medical_words: frozenset[str]
    medical_suffixes: tuple[str, ...]
    holiday_aliases: tuple[str, ...]
    facility_chains: tuple[str, ...] = ()


@cache
def lexicons() -> Lexicons:
    """The word lists of ``consult/data/deid.toml`` (read once)."""
    data = load_rules(DeidFile, rule_file("curbside.consult", "data", "deid.toml"))
    ambiguous = frozenset(w.lower() for w in data.eponyms.ambiguous)
    unambiguous = frozenset(w.lower() for w in data.eponyms.unambiguous) - ambiguous
    return Lexicons(unambiguous, ambiguous, frozenset(w.lower() for w in data.eponyms.head_nouns),
                    tuple(data.names.titles), tuple(data.names.surnames),
                    frozenset(w.lower() for w in data.medical.words), tuple(data.medical.suffixes),
                    tuple(data.holidays.aliases), tuple(data.facilities.chains))


def is_medical_word(word: str) -> bool:
    """A word of the medical lexicons (or with a medical ending): never part of a person's or a place's name."""
    lex = lexicons()
    w = word.lower()
    return (w in lex.medical_words or w in lex.head_nouns or w in lex.unambiguous_eponyms
            or (len(w) >= 7 and w.endswith(lex.medical_suffixes)))


#: Things counted after a number ("5 miles", "2 tablets"): not a street's name.
COUNTED = frozenset({"mg", "ml", "mcg", "minutes", "minute", "hours", "hour", "days", "day", "weeks", "week",
                     "months", "years", "times", "pills", "tablets", "steps", "miles", "km", "blocks", "floors"})


def is_plain_word(word: str) -> bool:
    """A stop word, a counted thing ("miles", "tablets") or a medical word: not part of a street's name."""
    from curbside.consult.people import common_words

    w = word.lower().strip(".,")
    return w in common_words() or w in COUNTED or is_medical_word(w)
