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


class DeidFile(RuleModel):
    """The shape of ``data/deid.toml`` (an unknown key is an error naming it)."""

    eponyms: _Eponyms
    medical: _Medical
    names: _Names
    holidays: _Holidays


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


@cache
def lexicons() -> Lexicons:
    """The word lists of ``consult/data/deid.toml`` (read once)."""
    data = load_rules(DeidFile, rule_file("curbside.consult", "data", "deid.toml"))
    ambiguous = frozenset(w.lower() for w in data.eponyms.ambiguous)
    unambiguous = frozenset(w.lower() for w in data.eponyms.unambiguous) - ambiguous
    return Lexicons(unambiguous, ambiguous, frozenset(w.lower() for w in data.eponyms.head_nouns),
                    tuple(data.names.titles), tuple(data.names.surnames),
                    frozenset(w.lower() for w in data.medical.words), tuple(data.medical.suffixes),
                    tuple(data.holidays.aliases))
