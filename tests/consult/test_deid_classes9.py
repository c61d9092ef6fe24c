"""De-identification classes found by the spent eighth held-out set (bench/data/deid_heldout8.txt), each
tested with invented examples: other members of the same class, never the held-out strings."""

from __future__ import annotations

import pytest

from curbside.consult.deid import Deidentifier


def _covered(deid: Deidentifier, text: str, identifier: str) -> bool:
    """Every letter and digit of ``identifier`` (in ``text``) lies inside a finding."""
    start = text.index(identifier)
    spans = [(f.start, f.end) for f in deid.find(text)]
    return all(any(s <= i < e for s, e in spans) for i in range(start, start + len(identifier))
               if text[i].isalnum())


# --- letter-spaced, padded and faxed text: "K O W A L …", "0'HARA", "O9/ 23 /1951" -----------------------

@pytest.mark.parametrize(("text", "identifier"), [
    ("Pt: K O W A L S K I ,  M A R T A   seen in clinic", "K O W A L S K I ,  M A R T A"),
    ("Seen  1 4 / 0 2 / 2 3.  Plan: repeat bloods", "1 4 / 0 2 / 2 3"),
    ("PATIENT :  0'SULLIVAN ,  BRIDGET  A     D0B :  O9/ 23 /1951", "0'SULLIVAN ,  BRIDGET"),
    ("PATIENT :  0'SULLIVAN ,  BRIDGET  A     D0B :  O9/ 23 /1951", "O9/ 23 /1951"),
])
def test_spaced_padded_and_faxed_identifiers(deid: Deidentifier, text: str, identifier: str) -> None:
    assert _covered(deid, text, identifier)


# --- a surname written first, in capitals: before a given name or before an initial that ends a field -----

@pytest.mark.parametrize(("text", "identifier"), [
    ("OKAFOR, Ngozi — sickle cell review", "OKAFOR, Ngozi"),
    ("| 03/03/25 | MENSAH K | ferritin | 12 |", "MENSAH K"),
    ("TANAKA Hiroshi: asthma review, peak flow 380", "TANAKA Hiroshi"),
    ("Re: BRENNAN, AOIFE — thyroid nodule", "BRENNAN, AOIFE"),
])
def test_surname_first(deid: Deidentifier, text: str, identifier: str) -> None:
    assert _covered(deid, text, identifier)


# --- holidays by a short or a church name: "Juneteenth", "the Feast of the Ascension" ----------------------

@pytest.mark.parametrize(("text", "identifier"), [
    ("shop shut on Juneteenth, refill delayed", "Juneteenth"),
    ("Review after the Feast of the Ascension please.", "Feast of the Ascension"),
])
def test_holidays_by_other_names(deid: Deidentifier, text: str, identifier: str) -> None:
    assert _covered(deid, text, identifier)


# --- a club or a school by its abbreviation: "… RFC", "… Harriers AC", "… Valley HS" ---------------------

@pytest.mark.parametrize(("text", "identifier"), [
    ("Winger, 20, plays for Ashgrove RFC, shoulder dislocation.", "Ashgrove RFC"),
    ("Fell at the meet with Dunmore Striders AC, ankle swollen.", "Dunmore Striders AC"),
    ("Sideline concussion check — Cedar Falls Valley HS", "Cedar Falls Valley HS"),
])
def test_clubs_and_schools_by_abbreviation(deid: Deidentifier, text: str, identifier: str) -> None:
    assert _covered(deid, text, identifier)


# --- and what stays: medical terms beside the new rules (these passed before too) ------------------------

@pytest.mark.parametrize(("text", "term"), [
    ("Acute AC joint separation, grade II, left.", "AC joint"),
    ("VITAMIN D, Low; HEPATITIS B | negative", "VITAMIN D"),
    ("Seen for Hodgkin lymphoma, Stage II", "Hodgkin lymphoma"),
    ("O2 sats 94% on air, ROM 0 - 95", "O2 sats"),
])
def test_medical_terms_stay(deid: Deidentifier, text: str, term: str) -> None:
    assert term in deid.mask(text).text
