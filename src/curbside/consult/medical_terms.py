"""Medical terms that spaCy's small English model mistakes for people or places, found by class.

Two classes the held-out de-identification set showed (issue 24, item 2):

- **medicine names** — brand and generic ("Coumadin", "Zyrtec", "Xarelto"): the drug dictionary of
  ``curbside.kb.drugs`` (the ``drug-named-entity-recognition`` package's, about 107,000 names). A name that is also a given name or surname of the US Census lists ("Allegra", "Cipro"
  as a surname) is left out: for a person's name, masking wins.
- **measurements** — a number and a unit ("162 mg/dL", "12 ng/mL", "5.6 mmol/L", "20 mIU/L"), as
  :mod:`curbside.kb.measurements` reads them; a common word that pint reads as a unit ("at" is a
  technical atmosphere, "in" an inch) is not one.

:func:`curbside.consult.deid._keep` drops a NAME or LOCATION found by spaCy alone that is a
medicine's name, and cuts any measurement out of one ("LDL 162 mg/dL" is not a person; "mEq/L. Paula"
keeps "Paula").
"""

from __future__ import annotations

import re
from functools import cache

from curbside.consult.people import common_words, first_names, surnames
from curbside.kb.drugs import all_names
from curbside.kb.measurements import measurement_spans, unit_test

_WORD = re.compile(r"[A-Za-zÀ-ÿ0-9]+(?:[-'’][A-Za-zÀ-ÿ0-9]+)*")


@cache
def drug_names() -> frozenset[str]:
    """Medicine names and their variants (``curbside.kb.drugs``), lower case, less census given names and surnames."""
    people = first_names() | surnames()
    return frozenset(n for n in all_names() if n not in people)


def is_drug_name(span: str) -> bool:
    """Whether every word of ``span`` (a possessive dropped) is a medicine's name ("Coumadin", "Zyrtec's")."""
    words = [w[:-2] if w.lower().endswith(("'s", "’s")) else w for w in _WORD.findall(span)]
    if not words:
        return False
    names = drug_names()
    return " ".join(words).lower() in names or all(w.lower() in names for w in words)


@cache
def is_unit(token: str) -> bool:
    """Whether ``token`` is a unit of measurement ("mg/dL", "mIU/L", "mmHg"), not a stop word."""
    return unit_test(common_words())(token)


def measurements(text: str) -> list[tuple[int, int]]:
    """Where ``text`` gives a number with a unit: (start, end) of each."""
    return measurement_spans(text, is_unit)


#: Words that give a medicine: "on", "takes", "prescribed", "doses of", "course of" (a person's name seldom follows).
_MEDICINE_BEFORE = re.compile(r"(?i)\b(?:on|take|takes|taking|took|started|starting|start|prescribed|given|gave|"
                              r"use|using|used|tried|trying|stopped|switched\s+to|doses?\s+of|course\s+of|"
                              r"weekly|daily|nightly)\s+$")
#: What follows a medicine: its generic name in brackets, "PRN", a form or a way of giving it.
_MEDICINE_AFTER = re.compile(r"(?i)^(?:\s*\((?P<generic>[a-z][a-z -]+)|\s+(?:prn|infusions?|injections?|tablets?|tabs|"
                             r"capsules?|pills?|inhaler|cream|ointment|drops|syrup|patch(?:es)?|shots?|jabs?)\b)")


#: A medicine listed before another, with its strength or not: "Rifafour and", "Coralin 40 and", "Lipex 20 mg, or".
_LISTED_BEFORE = re.compile(r"([A-Za-z-]+)(?:\s+\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|g|ml|iu|units?)?)?,?\s+(?:and|or|plus)\s+$",
                            re.IGNORECASE)


def in_medicine_context(text: str, start: int, end: int, *, listed: bool = True) -> bool:
    """Whether the word ``text[start:end]`` stands where a medicine does: its generic name in brackets after
    it ("Visanne (dienogest"), a form after it ("Stilpane PRN", "the Yasmin pill"), a word that gives a
    medicine before it ("took Coartem", "on Sonata") or a medicine beside it ("Rifafour and pyridoxine", "on Coralin
    40 and Dianex 500": listed after a word that stands where a medicine does)."""
    after = _MEDICINE_AFTER.match(text[end:])
    if after and (after.group("generic") is None or is_drug_name(after.group("generic").split()[0])):
        return True
    if _MEDICINE_BEFORE.search(text[max(0, start - 25):start]):
        return True
    beside = re.match(r"\s+(?:and|or|plus|with)\s+([A-Za-z-]+)", text[end:])
    if beside and is_drug_name(beside.group(1)):
        return True
    offset = max(0, start - 40)
    before = _LISTED_BEFORE.search(text[offset:start])
    return bool(before and (is_drug_name(before.group(1)) or (listed and in_medicine_context(
        text, offset + before.start(1), offset + before.end(1), listed=False))))
