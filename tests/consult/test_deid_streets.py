"""Street addresses in the forms of other countries (``consult/streets.py``: the street types of ``faker``'s
address providers, with the house number).

Found by reading the de-identifier on addresses of forty ``faker`` locales (twenty-second session): a street named
before its number ("ulica Kwiatowa 7"), a type after the name ("Petőfi utca 23."), a type glued to the name
("Skovvej 14") and the postcode after it ("…, 00-950") were published. Every address below is invented.
"""

from __future__ import annotations

import pytest

from curbside.consult.deid import Deidentifier
from curbside.consult.streets import WorldStreetRecognizer, postcode_pattern, street_words


@pytest.mark.parametrize(("text", "street"), [
    ("Mieszkam przy ulica Kwiatowa 7, 00-950 Warszawa, proszę o wyniki.", "Kwiatowa 7, 00-950"),
    ("Az anyám címe Petőfi utca 23., kérem küldjék oda.", "Petőfi utca 23"),
    ("Jeg bor på Skovvej 14, 2100 København, og har astma.", "Skovvej 14, 2100"),
    ("Ich wohne in der Lindenweg 12, 10115 Berlin, seit dem Unfall.", "Lindenweg 12, 10115"),
    ("Mi dirección es Calle Pte. Obregón N° 5810, mándenme la receta.", "Obregón N° 5810"),
    ("send the meter to jalan merdeka 45 please", "merdeka 45"),
])
def test_a_street_with_its_number_is_masked(deid: Deidentifier, text: str, street: str) -> None:
    masked = deid.mask(text).text
    for part in street.replace(",", " ").split():
        assert part not in masked, masked


@pytest.mark.parametrize(("text", "term"), [
    ("After the grinding accident I have a rust ring and visual acuity 20/60 in that eye.", "visual acuity 20/60"),
    ("She had a seizure at the skate park. EEG showed 3 Hz spike-and-wave discharges.", "3 Hz spike-and-wave"),
    ("At the regional hospital my sodium 128 mmol/L was rechecked the next day.", "sodium 128 mmol/L"),
    ("He was given tranexamic acid 1 g and DDAVP. Ring 0491 if it bleeds again.", "DDAVP"),
    ("My son keeps scoring 5 on the PHQ-9 and the school counsellor is worried.", "scoring 5"),
    ("Take the amoxicillin via mouth 2 times a day with food.", "via mouth 2 times"),
])
def test_medical_text_with_numbers_stays(deid: Deidentifier, text: str, term: str) -> None:
    assert term in deid.mask(text).text


def test_the_lexicon_comes_from_faker_and_leaves_english_words_to_the_english_recognizers() -> None:
    words, glued = street_words()
    assert {"ulica", "utca", "calle", "jalan"} <= set(words)
    assert {"vej", "straße", "gatan", "katu"} <= set(glued)
    assert not {"park", "ring", "court", "rang", "road"} & set(words)
    assert "\\d" in postcode_pattern()


def test_the_recognizer_finds_no_street_in_a_sentence_that_ends_inside_it() -> None:
    text = "They suggested DDAVP. Ring 0491 555 038 tomorrow."
    assert WorldStreetRecognizer().analyze(text, ["STREET_ADDRESS"]) == []
