"""The de-identification word lists of ``data/deid.toml``: eponyms, head nouns, titles, surnames.

Kept apart from the recognizers so that the eponym rule can be used without loading Presidio.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from curbside.errors import ConfigError


@dataclass(frozen=True)
class Lexicons:
    unambiguous_eponyms: frozenset[str]
    ambiguous_eponyms: frozenset[str]
    head_nouns: frozenset[str]
    titles: tuple[str, ...]
    surnames: tuple[str, ...]
    medical_words: frozenset[str]
    medical_suffixes: tuple[str, ...]


@cache
def lexicons() -> Lexicons:
    """The word lists of ``consult/data/deid.toml`` (read once)."""
    path = resources.files("curbside.consult").joinpath("data", "deid.toml")
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"De-identification data deid.toml is missing or broken ({exc}); reinstall curbside.") from exc
    ambiguous = frozenset(w.lower() for w in data["eponyms"]["ambiguous"])
    unambiguous = frozenset(w.lower() for w in data["eponyms"]["unambiguous"]) - ambiguous
    return Lexicons(unambiguous, ambiguous, frozenset(w.lower() for w in data["eponyms"]["head_nouns"]),
                    tuple(data["names"]["titles"]), tuple(data["names"]["surnames"]),
                    frozenset(w.lower() for w in data["medical"]["words"]), tuple(data["medical"]["suffixes"]))
