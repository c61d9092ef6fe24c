"""Ordinary medical prose is not personal data (``bench/deid.py overmask``, twenty-third session).

Read off the starter pack's training sources (never the held ones the bench measures): a lead-in's word found at the
end of another word ("anyw|here", "hemisp|here"), a month's abbreviation at the start of a word ("0.6 Dec|reased"),
the decimal part of an odds ratio's confidence interval read as a date ("1.|17-2.95") or a phone number
("0.30-0.82"), and a medical word opening a sentence read by spaCy as a person ("Emphysema is …") were masked.
"""

from __future__ import annotations

import pytest

from curbside.consult.deid import Deidentifier


@pytest.mark.parametrize("text", [
    "Cancer can begin in squamous cells anywhere in the body and spread.",
    "Serious adverse reactions are described elsewhere in the labeling.",
    "These reactions are mediated by the right hemisphere.",
    "Decreased hemoglobin | 60 | 4 | 1 | 64 | 3 | 0.6 Decreased platelets | 12",
    "Contact with a specialist was more likely (OR 1.86, 95% CI 1.17-2.95).",
    "Three drinks a day lowered the risk (OR = 0.50; 95% CI = 0.30-0.82).",
    "Emphysema is a serious lung disease in which the air sacs are damaged.",
    "Lymphedema may be found by measuring the arm.",
])
def test_ordinary_medical_text_keeps_every_word(deid: Deidentifier, text: str) -> None:
    assert deid.find(text) == [], [text[f.start:f.end] for f in deid.find(text)]


@pytest.mark.parametrize(("text", "identifier"), [
    ("Rosa here, the rash is back.", "Rosa"),
    ("call me on 1.555.867.5309 after six", "1.555.867.5309"),
    ("my date of birth is 12.03.1985", "12.03.1985"),
    ("seen on 3.4.2024 and again on 5.6.2024", "5.6.2024"),
    ("admitted 6 Dec 2023 with pneumonia", "6 Dec 2023"),
])
def test_identifiers_beside_those_guards_are_still_masked(deid: Deidentifier, text: str, identifier: str) -> None:
    assert identifier not in deid.mask(text).text
