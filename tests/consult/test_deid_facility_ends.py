"""A facility's name ends where its name ends (``consult/deid._facility_name_run``): in text written with capitals,
a common lower-case word after it ("… Hospital cafeteria", "… Center choir") is a plain word of the sentence, which
the tagger's span may grow over but the mask must not take. Every name is invented."""

from __future__ import annotations

import pytest

from curbside.consult.deid import Deidentifier, with_tagged
from curbside.consult.findings import Finding


@pytest.mark.parametrize(("text", "expected"), [
    ("Priya from the Halvorsen Memorial Hospital cafeteria said the soup had nuts",
     "[NAME] from the [FACILITY] cafeteria said the soup had nuts"),
    ("Ana from the Westbrook Community Center choir asked about gout",
     "[NAME] from the [FACILITY] choir asked about gout"),
    ("Marcus from the Saint Aldric Academy band asked about inhalers",
     "[NAME] from the [FACILITY] band asked about inhalers"),
])
def test_a_plain_word_after_a_facility_stays(deid: Deidentifier, text: str, expected: str) -> None:
    assert deid.mask(text).text == expected


def _span(text: str, words: str) -> Finding:
    start = text.index(words)
    return Finding("FACILITY", start, start + len(words), 0.9995, "DeidTagger")  # sure: past the common-word guard


@pytest.mark.parametrize(("text", "rules", "tagged", "word", "masked"), [
    # the tagger grew the rules' facility over the words after it
    ("the Tamsworth Grange Hospital cafeteria staff were kind", "Tamsworth Grange Hospital",
     "Tamsworth Grange Hospital cafeteria staff", "cafeteria staff", False),
    # the tagger found the plain words alone, beside the rules' facility
    ("Ines from the Corrigan Hall Library knitting circle asked", "Corrigan Hall Library", "knitting circle",
     "knitting circle", False),
    # a kind of place after the name is part of it
    ("we met at the Ollerton Parish parish hall today", "Ollerton Parish", "Ollerton Parish parish hall",
     "parish hall", True),
    ("she is seen at Brindle Vale urgent care monthly", "Brindle Vale", "Brindle Vale urgent care", "urgent care",
     True),
    # in text without capitals nothing tells a name from a plain word: the span stays
    ("ana from westbrook community center choir asked", "westbrook community center",
     "westbrook community center choir", "choir", True),
])
def test_a_tagged_facility_ends_at_its_name(text: str, rules: str, tagged: str, word: str, masked: bool) -> None:
    found = with_tagged(text, text, [_span(text, rules)], [_span(text, tagged)])
    start = text.index(word)
    covered = all(any(f.start <= i < f.end for f in found) for i in range(start, start + len(word)) if text[i] != " ")
    assert covered is masked
