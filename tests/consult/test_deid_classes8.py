"""De-identification classes found by the spent seventh held-out set (bench/data/deid_heldout7.txt), each
tested with invented examples: other members of the same class, never the held-out strings."""

from __future__ import annotations

import pytest

from curbside.consult.deid import Deidentifier


def _masked(deid: Deidentifier, text: str) -> str:
    return deid.mask(text).text


# --- roles and forms of address before a name, in any case; a doctor known by an initial; initials ------

@pytest.mark.parametrize(("text", "expected"), [
    ("can u ask coach hendricks if i can skip practice", "can u ask [NAME] if i can skip practice"),
    ("refills were signed by np kowalczuk last week", "refills were signed by [NAME] last week"),
    ("hey ms vantongeren, i have strep throat", "hey [NAME], i have strep throat"),
    ("pls book a review w/ dr t", "pls book a review w/ [NAME]"),
    ("Mi abuela, doña Herminia Cárdenas, tiene insuficiencia cardiaca",
     "Mi abuela, [NAME], tiene insuficiencia cardiaca"),
    ("kumusta, ang tita Marites ko may asthma", "kumusta, ang tita [NAME] ko may asthma"),
    ("consented: initials R.T.K., screening visit done", "consented: initials [NAME], screening visit done"),
    ("subject 0041, initials D-OB, randomised", "subject 0041, initials [NAME], randomised"),
])
def test_names_after_roles_and_initials(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["the nurse said to keep taking metformin 500 mg",
                                  "coach said rest for two weeks after the sprain",
                                  "my TIA Workup is booked", "she takes vitamin K daily"])
def test_roles_without_a_name_stay(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


# --- a unit, shop, block or house number before a street; a street whose type no list holds; postcodes ---

@pytest.mark.parametrize(("text", "expected"), [
    ("Post to Flat 7C, Harbour Esplanade, Whitby YO21 3PU please",
     "Post to [ADDRESS], [LOCATION] [ADDRESS] please"),
    ("Shop 3, 51 Queen Street, Brisbane needs a defibrillator check",
     "[ADDRESS], [LOCATION] needs a defibrillator check"),
    ("We live at No 17 Okafor Close and Ada has malaria", "We live at [ADDRESS] and [NAME] has malaria"),
    ("Our house is C-118, Lajpat Nagar, 110024.", "Our house is [ADDRESS], [ADDRESS]."),
    ("She's at 12 Greystone Rigg, Hawick TD9 0AB now.", "She's at [ADDRESS], [LOCATION] [ADDRESS] now."),
    ("home is 4 Wattle Grove, Pinelands, 7405. She has asthma",
     "home is [ADDRESS], [LOCATION], [ADDRESS]. She has asthma"),
])
def test_addresses_by_units_and_house_numbers(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["She has Type 2 Diabetes, Boston Children's says fine",
                                  "Stage 3 Kidney Disease, poorly controlled",
                                  "took 2 Tylenol, Monday was better"])
def test_numbered_conditions_are_no_streets(deid: Deidentifier, text: str) -> None:
    assert "[ADDRESS]" not in _masked(deid, text)


# --- record numbers: an acronym's number in any language, codes with slashes or dots, plural labels -------

@pytest.mark.parametrize(("text", "expected"), [
    ("KVK nummer 448190-3312 attached", "KVK nummer [ID] attached"),
    ("her card is PGH/MED/2022/11873 at the desk", "her card is [ID] at the desk"),
    ("UHID KMC.7730415, admitted with pneumonia", "UHID [ID], admitted with pneumonia"),
    ("Vendor reg. no. LMC/PHR/00912 on the label", "Vendor reg. no. [ID] on the label"),
    ("health card 553 208 174 expired", "health card [ID] expired"),
    ("two patients, MRNs 6620931 and 6620947, share a surname", "two patients, MRNs [ID] and [ID], share a surname"),
])
def test_record_numbers_by_label_and_shape(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["her platelets 615 and rising", "platelets 38000 after chemo",
                                  "HIV number 1500 copies last time", "ID 12.5 mg given"])
def test_counts_are_no_record_numbers(deid: Deidentifier, text: str) -> None:
    assert "[ID]" not in _masked(deid, text)


# --- ages over 89 after a date of birth, a sex or a pronoun; chat senders; dates in more forms ----------

@pytest.mark.parametrize(("text", "expected"), [
    ("Pt Oswin Hale, M, 96. Found on the floor", "Pt [NAME], M, [AGE]. Found on the floor"),
    ("DOB 3/2/1929 (96), fall at home", "DOB [DATE] ([AGE]), fall at home"),
    ("she has a chest infection. She 93.", "she has a chest infection. She [AGE]."),
    ("[09:15, 11/02/2025] Tayo Bankole-Ade: any news?", "[[DATE]] [NAME]: any news?"),
    ("Infusion check 14 FEB 2025: cycle 2", "Infusion check [DATE]: cycle 2"),
    ("lupus dx Mar '21, on hydroxychloroquine", "lupus dx [DATE], on hydroxychloroquine"),
    ("gips op donderdag 13 maart", "gips op [DATE]"),
    ("Could we move it to the 19th instead?", "Could we move it to [DATE] instead?"),
])
def test_ages_senders_and_dates(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["HR 95, SpO2 (98) on room air", "M, 45. Chest pain", "the 2nd dose again"])
def test_readings_are_no_ages_or_dates(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text
