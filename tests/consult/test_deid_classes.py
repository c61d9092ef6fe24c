"""De-identification classes found by the spent held-out set (issue 24, item 2), each tested with
invented examples: not the held-out strings, but other members of the same class."""

from __future__ import annotations

import pytest

from curbside.consult.deid import Deidentifier


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


# --- street suffixes: all of USPS Publication 28, a unit before the number, "4/12" numbers ------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Send it to 3120 Harriet Crossing, please.", "Send it to [ADDRESS], please."),
    ("We are at 77 Gordon Bluffs now.", "We are at [ADDRESS] now."),
    ("HOME: 415 WILLOW GLEN", "HOME: [ADDRESS]"),
    ("Unit 5 22 Clarence Heights is my flat.", "[ADDRESS] is my flat."),
    ("Post to 12/3 Benson Mews, thanks.", "Post to [ADDRESS], thanks."),
    ("mail goes to 88 agnes hollow", "mail goes to [ADDRESS]"),
])
def test_every_usps_street_suffix_makes_an_address(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", [
    "I RAN 5 MILES IN THE PARK TODAY AND MY KNEE HURTS",
    "take 2 tablets at the point of pain",
    "My 3 Kids Love The Park",
    "we walked 3 blocks to the mall and back",
])
def test_a_number_before_a_street_word_is_not_always_an_address(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


# --- observances (the holidays package's unofficial and optional categories) and date labels -------

@pytest.mark.parametrize(("text", "expected"), [
    ("The rash began the night before Valentine's Day.", "The rash began the night before [DATE]."),
    ("it got worse around halloween", "it got worse around [DATE]"),
    ("We noticed it on Mother's Day 2022.", "We noticed it on [DATE]."),
    ("I fell on St. Patrick's Day.", "I fell on [DATE]."),
    ("Groundhog Day was when the fever started", "[DATE] was when the fever started"),
    ("since the fourth of july i have had a cough", "since [DATE] i have had a cough"),
])
def test_observances_are_dates(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


def test_a_possessive_before_a_lower_case_holiday_name_is_not_the_holiday(deid: Deidentifier) -> None:
    text = "my mother's day was rough, she has dementia"
    assert _masked(deid, text) == text


@pytest.mark.parametrize(("text", "expected"), [
    ("Date of birth: 4/19. I have asthma.", "Date of birth: [DATE]. I have asthma."),
    ("D.O.B. 11/23, type 2 diabetes", "D.O.B. [DATE], type 2 diabetes"),
    ("date of injury 2/14 and the knee still hurts", "date of injury [DATE] and the knee still hurts"),
    ("my pain is 7/10 today", "my pain is 7/10 today"),
])
def test_a_day_and_month_after_a_date_label(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


# --- medicine names and lab values are not people ----------------------------------------------------

@pytest.mark.parametrize("text", [
    "Is Zyrtec safe with Eliquis?",
    "Could Lexapro cause this? Prozac did not.",
    "My LDL 171 mg/dL. Home remedies?",
    "ferritin 9 ng/mL. Is that low?",
    "Quick one: is Xarelto contagious?",
])
def test_medicine_names_and_lab_values_survive(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


def test_a_name_after_a_lab_value_is_still_masked(deid: Deidentifier) -> None:
    masked = _masked(deid, "TSH 6.3 mIU/L and sodium 131 mEq/L. Paula thinks it is fine.")
    assert masked == "TSH 6.3 mIU/L and sodium 131 mEq/L. [NAME] thinks it is fine."


def test_a_medicine_name_that_is_a_given_name_stays_a_name(deid: Deidentifier) -> None:
    from curbside.consult.medical_terms import drug_names, is_unit

    assert "allegra" not in drug_names() and "coumadin" in drug_names()
    assert is_unit("mIU/L") and is_unit("mEq/L") and not is_unit("at") and not is_unit("Home")


# --- lower-case names after a self-introduction, beyond the census lists -----------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("i am caoimhe dolan and my ears ring", "i am [NAME] and my ears ring"),
    ("hello, niamh gallagher here, my son has croup", "hello, [NAME] here, my son has croup"),
    ("aoife brennan is my name and i am pregnant", "[NAME] is my name and i am pregnant"),
    ("The tests came back fine. marcia jensen (patient). Thanks!", "The tests came back fine. [NAME] (patient). Thanks!"),
    ("My husband gerald q. fennimore and I both have colds.", "My husband [NAME] and I both have colds."),
])
def test_a_self_introduced_name_need_not_be_american(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", [
    "i am worried about my cough", "i am hypertensive and dizzy", "i'm breastfeeding, is ibuprofen ok?",
    "this is zyrtec related?",
])
def test_an_english_word_after_a_self_introduction_is_not_a_name(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


# --- places: a shouted name after a place lead-in, "near", place-name prefixes -----------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Here in KILBRANNOCK, the clinic is closed.", "Here in [LOCATION], the clinic is closed."),
    ("Near Carrowmore; my knee hurts.", "Near [LOCATION]; my knee hurts."),
    ("there is no pharmacy near west dunmore", "there is no pharmacy near [LOCATION]"),
])
def test_places_after_a_lead_in_any_case(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", [
    "The rash is common in children.", "Back pain from sitting too long", "In addition, take it with food.",
    "Her sodium was near normal.", "i'm breastfeeding, is ibuprofen ok?",
])
def test_an_english_word_after_a_weak_lead_in_is_not_capitalised_into_a_name(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


# --- facilities in lower case ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("they sent me to dunleary university hospital for a scan", "they sent me to [FACILITY] for a scan"),
    ("my surgeon at ashgrove community hospital said no", "my surgeon at [FACILITY] said no"),
    ("we drove to north kilcrea clinic yesterday", "we drove to [FACILITY] yesterday"),
    ("i went to the eye clinic", "i went to the eye clinic"),
    ("my gp sent me to the fracture clinic", "my gp sent me to the fracture clinic"),
])
def test_a_lower_case_facility_is_the_names_before_its_noun(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected
