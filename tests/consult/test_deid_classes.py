"""De-identification classes found by the spent held-out set (issue 24, item 2), each tested with
invented examples: not the held-out strings, but other members of the same class."""

from __future__ import annotations

import pytest

from curbside.consult.deid import Deidentifier, shared_deidentifier


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return shared_deidentifier()


def _masked(deid: Deidentifier, text: str) -> str:
    return deid.mask(text).text


# --- an identifier does not run across the end of a sentence ---------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("I was told I have Marfan syndrome. priya.natarajan7@fastmail.com is my email.",
     "I was told I have Marfan syndrome. [EMAIL] is my email."),
    ("My nephew has Pompe disease. Ridgecrest Regional Hospital ran the tests.",
     "My nephew has Pompe disease. [FACILITY] ran the tests."),
    ("We live in Oakvale. Could Graves disease cause this?", "We live in [LOCATION]. Could Graves disease cause this?"),
])
def test_a_mask_stops_at_the_end_of_a_sentence(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected
