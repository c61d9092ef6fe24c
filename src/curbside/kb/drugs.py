"""The names of medicines: brand, generic and other names of one medicine, from a maintained dictionary.

The dictionary is the ``drug-named-entity-recognition`` package's (MIT, Fast Data Science; about
107,000 names and variants of 20,000 medicines from DrugBank's open vocabulary, MeSH, MedlinePlus and
Wikipedia), read from its data file without importing the package (whose import builds a search
index and reads a cache in the home folder). A patient names a medicine by its brand ("Wellbutrin",
"Prozac"); a drug label in the knowledge base may be titled by the generic name of a repackager's
product ("Bupropion Hydrochloride"): :class:`curbside.kb.synonyms.FocusIndex` gives each label the
other names of its medicine from here, and the answer service names a medicine the library has no
label for by its generic name.
"""

from __future__ import annotations

import bz2
import pickle
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from curbside.ingest.text_repair import word_frequencies

#: A name written only with letters, digits, spaces, hyphens and an apostrophe ("toprol-xl",
#: "anacin 3"); chemical names with commas, brackets and primes are not how people ask.
_PLAIN_NAME = re.compile(r"^[a-z][a-z0-9' -]*[a-z0-9]$")
#: Shorter names are abbreviations and fragments ("apap", "omep") that name other things too.
_MIN_LETTERS = 5


@dataclass(frozen=True)
class DrugDictionary:
    """Name (lower case) → the canonical names of the medicines it names, and each canonical name →
    its names."""

    canonical_of: Mapping[str, tuple[str, ...]]
    names_of: Mapping[str, tuple[str, ...]]
    brands: frozenset[str] = frozenset()

    def is_brand(self, name: str) -> bool:
        """Whether the dictionary marks ``name`` as a brand name ("prozac")."""
        return name.strip().lower() in self.brands

    def canonical(self, name: str) -> str | None:
        """The one medicine ``name`` names ("wellbutrin" → "bupropion"); None when unknown or ambiguous."""
        found = self.canonical_of.get(name.strip().lower(), ())
        return found[0] if len(found) == 1 else None

    def other_names(self, name: str) -> tuple[str, ...]:
        """The plain names of the medicine ``name`` names, itself left out ("bupropion hydrochloride"
        → "wellbutrin", "zyban", "bupropion" …); empty when the dictionary does not know it."""
        canonical = self.canonical(name)
        if canonical is None:
            return ()
        own = name.strip().lower()
        return tuple(n for n in self.names_of.get(canonical, ()) if n != own)


@cache
def dictionary() -> DrugDictionary:
    """The packaged dictionary, read once per process (empty when the package is missing)."""
    try:
        path = resources.files("drug_named_entity_recognition").joinpath("drug_ner_dictionary.pkl.bz2")
        with path.open("rb") as raw, bz2.open(raw, "rb") as f:
            # The package's own data file (a dependency of curbside), read as the package reads it.
            data: dict[str, Any] = pickle.load(f)
        variants: dict[str, list[str]] = data["drug_variant_to_canonical"]
        brands = frozenset(n for n, d in data.get("drug_variant_to_variant_data", {}).items() if d.get("is_brand"))
    except (ModuleNotFoundError, FileNotFoundError, KeyError):  # pragma: no cover - a dependency of curbside
        return DrugDictionary({}, {})
    canonical_of = {name: tuple(canon) for name, canon in variants.items()}
    names_of: dict[str, list[str]] = {}
    for name, canon in variants.items():
        if len(canon) == 1 and _PLAIN_NAME.match(name) and sum(c.isalpha() for c in name) >= _MIN_LETTERS:
            names_of.setdefault(canon[0], []).append(name)
    return DrugDictionary(canonical_of, {c: tuple(sorted(ns)) for c, ns in names_of.items()}, brands)


def all_names() -> frozenset[str]:
    """Every name and variant the dictionary holds, lower case (a view of :func:`dictionary`)."""
    return frozenset(dictionary().canonical_of)


_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
#: Names of up to this many words are looked up ("pepto bismol", "tylenol pm").
_MAX_WORDS = 3


def medicines_in(text: str) -> list[tuple[str, str]]:
    """The medicines ``text`` names, as (name as written, lower case; canonical name), longest first,
    each once. A name made of an everyday word (one the English word counts of
    ``ingest.text_repair.word_frequencies`` hold at least :data:`EVERYDAY` times — "alcohol", "iron",
    "coffee") counts only as the dictionary's brand name; names under five letters do not count."""
    drugs = dictionary()
    counts = word_frequencies()
    tokens = _WORD.findall(text.lower())
    found: list[tuple[str, str]] = []
    taken: set[int] = set()
    for size in range(_MAX_WORDS, 0, -1):
        for start in range(len(tokens) - size + 1):
            span = range(start, start + size)
            if taken.intersection(span):
                continue
            name = " ".join(tokens[start:start + size])
            canonical = drugs.canonical(name)
            if canonical is None or sum(c.isalpha() for c in name) < _MIN_LETTERS:
                continue
            if any(counts.get(w, 0) >= EVERYDAY for w in name.split()) and not drugs.is_brand(name):
                continue
            found.append((name, canonical))
            taken.update(span)
    return found


#: How often (in the English word counts) an everyday word occurs: "aspirin" and "alcohol" are above.
EVERYDAY = 1000
