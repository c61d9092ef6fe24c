"""The kind of place after a facility's name is part of the name (``consult/deid._kinds_of_place_after``).

The tagger and some recognizers find a facility's name without the noun after it ("…gateway" of "… gateway clinic",
"… family" of "… family health"); the planted sets count the facility as published while a word of it shows, and a
reader of "[FACILITY] clinic" learns nothing, but of "[FACILITY] senior living" a little. Every name is invented.
"""

from __future__ import annotations

import pytest

from curbside.consult.deid import Deidentifier


@pytest.mark.parametrize(("text", "facility"), [
    ("we take him to marrowdene gateway clinic every month for the eczema", "marrowdene gateway clinic"),
    ("my nan moved into Quellbrook Lodge senior living after the fall", "Quellbrook Lodge senior living"),
    ("the nurse at Tarnwick Family Medicine office said to keep the dressing dry", "Tarnwick Family Medicine office"),
])
def test_the_kind_of_place_is_masked_with_the_name(deid: Deidentifier, text: str, facility: str) -> None:
    masked = deid.mask(text).text
    assert not any(word in masked for word in facility.split()[-2:]), masked


def test_a_kind_of_place_alone_stays(deid: Deidentifier) -> None:
    text = "The clinic said the pharmacy would call when the inhaler is ready."
    assert deid.mask(text).text == text
