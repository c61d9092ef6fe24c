"""De-identification classes found by the spent second held-out set (bench/data/deid_heldout2.txt),
each tested with invented examples: other members of the same class, never the held-out strings."""

from __future__ import annotations

import pytest

from curbside.consult.deid import Deidentifier


def _masked(deid: Deidentifier, text: str) -> str:
    return deid.mask(text).text


# --- an honorific is masked with the name; lower-case honorifics; names in any Latin script ---------

@pytest.mark.parametrize(("text", "expected"), [
    ("Mrs. Odile Fontenot has gout.", "[NAME] has gout."),
    ("Referred by Mr. J. K. Abernathy today.", "Referred by [NAME] today."),
    ("my endo dr wu said to skip it", "my endo [NAME] said to skip it"),
    ("i emailed dr. lindqvist about it", "i emailed [NAME] about it"),
    ("Note from Dr. Åsa Bergström-Lund about the MRI.", "Note from [NAME] about the MRI."),
    ("Our priest Fr. Anselm visited.", "Our priest [NAME] visited."),
])
def test_an_honorific_is_masked_with_the_name(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["my dr said to rest", "the dr appointment is soon", "ask your dr whether a rash is normal"])
def test_a_lower_case_honorific_needs_a_name_after_it(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


# --- ages over 89: digits or words, in an age's context only -------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("My father is 94 and has heart failure.", "My father is [AGE] and has heart failure."),
    ("she turned ninety seven last week", "she turned [AGE] last week"),
    ("MY GRANDAD IS NINETY-SIX AND HAS GOUT", "MY GRANDAD IS [AGE] AND HAS GOUT"),
    ("my great aunt is a hundred and three!", "my great aunt is [AGE]!"),
    ("I'm 99 and still walk daily.", "I'm [AGE] and still walk daily."),
    ("Resident Mrs. Hilda Marchetti, 97, has a stage 2 sore.", "Resident [NAME], [AGE], has a stage 2 sore."),
])
def test_an_age_over_89_in_an_age_context(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["my sugar is 95 this morning", "my dad's sugar is 104 after eating",
                                  "my mother is 92 kg", "she was 90% better", "my heart rate is 95 and I'm 45",
                                  "I'm 98.6 degrees", "He is 45 and has 95 problems"])
def test_a_number_over_89_that_is_no_age_is_kept(deid: Deidentifier, text: str) -> None:
    assert "[AGE]" not in _masked(deid, text)


# --- given names by their context: a relation before, "… here", a signature at the end ---------------

@pytest.mark.parametrize(("text", "expected"), [
    ("MY WIFE JUNE HAS A COUGH", "MY WIFE [NAME] HAS A COUGH"),
    ("my buddy Lachlan has a rash", "my buddy [NAME] has a rash"),
    ("my sister-in-law Faith has lupus", "my sister-in-law [NAME] has lupus"),
    ("my uncle Søren has gout", "my uncle [NAME] has gout"),
    ("is this shingles? any advice appreciated. -winnie", "is this shingles? any advice appreciated. -[NAME]"),
    ("Should I ice it? - autumn", "Should I ice it? - [NAME]"),
    ("will it scar? delphine", "will it scar? [NAME]"),
    ("please reply to the clinic. - r. abernathy", "please reply to the clinic. - [NAME]"),
    ("Call me back please. - T. Oyelaran, MD", "Call me back please. - [NAME]"),
])
def test_a_given_name_marked_by_its_context(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["my friend hope is that it heals", "my son may have a fever",
                                  "I have a rash. Thanks", "Does this need stitches? Help",
                                  "Is it serious? Pneumonia", "Is it serious? Tylenol", "what should I do. -lol",
                                  "My son has a fever. thanks so much", "Worse every summer",
                                  "I have faith it will pass. Rose hips tea helps?"])
def test_a_word_that_is_also_a_name_without_a_persons_context_is_kept(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


# --- postcodes of other countries, rural routes, intersections, units, streets without a number -------

@pytest.mark.parametrize(("text", "expected"), [
    ("Our postcode is LS6 2QT and the clinic is near.", "Our postcode is [ADDRESS] and the clinic is near."),
    ("We live in Ottawa, ON K1A 0B1 now.", "We live in [LOCATION], ON [ADDRESS] now."),
    ("Write to me in Sydney NSW 2000.", "Write to me in [LOCATION] [ADDRESS]."),
    ("I live at 4 rue Cler, 75007 Paris.", "I live at [ADDRESS], [ADDRESS]."),
    ("Our flat is in Koramangala, Pune 411001.", "Our flat is in [LOCATION], [LOCATION] [ADDRESS]."),
    ("The cabin is on Rural Route 7, Box 19, near the lake.", "The cabin is on [ADDRESS], near the lake."),
    ("The crash was at Elm St and 5th Ave yesterday.", "The crash was at [ADDRESS] yesterday."),
    ("the pharmacy on Oak Street gave me the wrong pills", "the pharmacy on [ADDRESS] gave me the wrong pills"),
    ("We are at 88 calle Sol, Apt 2B now", "We are at [ADDRESS] now"),
    ("Our house is 12 Old Barn Road, Lot 7.", "Our house is [ADDRESS]."),
])
def test_addresses_of_other_shapes(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["I walk 3 km, 10000 Steps a day", "I take 10000 IU vitamin D, 50000 Units weekly",
                                  "my A1C went from 7.2, 10000 Steps a day helped"])
def test_a_number_before_a_capitalised_word_is_no_postcode(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


# --- facilities: pharmacies, practices, schools, care homes, short names, chains ---------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("She works at Hollyfield Care Home now.", "She works at [FACILITY] now."),
    ("My son goes to Lincoln Middle School and Sunnyside Daycare.", "My son goes to [FACILITY] and [FACILITY]."),
    ("The tech at Harborview Infusion Center was kind.", "The tech at [FACILITY] was kind."),
    ("Pick up at Westbrook Family Pharmacy please.", "Pick up at [FACILITY] please."),
    ("I see a dentist at Pearl Bright Dental twice a year.", "I see a dentist at [FACILITY] twice a year."),
    ("The doctor at Coastal Orthopedics wants an MRI.", "The doctor at [FACILITY] wants an MRI."),
    ("We went to Denver Children's last night.", "We went to [FACILITY] last night."),
    ("She starts at Northfield State University in fall.", "She starts at [FACILITY] in fall."),
    ("my eye doctor at Vision Associates of Tulsa said so", "my eye doctor at [FACILITY] said so"),
    ("I picked it up at Walgreens yesterday.", "I picked it up at [FACILITY] yesterday."),
    ("my chart at Kaiser Fremont says so", "my chart at [FACILITY] says so"),
    ("Discharged from st. gene's hospital. I have a cough", "Discharged from [FACILITY]. I have a cough"),
])
def test_facilities_of_other_kinds(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["I had CVS at 12 weeks.", "my son's school nurse called",
                                  "I go to pediatric cardiology next week.", "My cardiology appointment is Monday.",
                                  "the dental work hurt", "I go to physical therapy twice a week",
                                  "the Urology department called"])
def test_a_facility_noun_without_a_name_is_kept(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


# --- dates with a weekday, "the 3rd of May", more day/months in a message that dates with them --------

@pytest.mark.parametrize(("text", "expected"), [
    ("She was seen Fri, 12 Apr 2024 and again later.", "She was seen [DATE] and again later."),
    ("I took it from Sat 6/1 to Thu 6/6.", "I took it from [DATE] to [DATE]."),
    ("Surgery is next Monday the 11th.", "Surgery is [DATE]."),
    ("since last Tuesday the 14th I feel dizzy", "since [DATE] I feel dizzy"),
    ("Her visit was on the 3rd of May and went well.", "Her visit was on [DATE] and went well."),
    ("He was admitted 3/4, to the ICU 3/7, home 3/10. He takes 1/2 tablet.",
     "He was admitted [DATE], to the ICU [DATE], home [DATE]. He takes 1/2 tablet."),
])
def test_dates_with_a_weekday_or_in_a_series(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["I sat 2 hours in the waiting room.", "Take 1/2 tablet and 2/3 of the dose.",
                                  "On Monday I felt better."])
def test_a_weekday_or_a_fraction_alone_is_kept(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


# --- numbers after a label with their code; handles without "@"; "[at]" e-mails -----------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Rx # RX 6620193 is the one", "Rx # [ID] is the one"),
    ("Device serial SN 4K2P-88120-ZT keeps failing.", "Device serial [ID] keeps failing."),
    ("Medicaid # MCD 55 3310 7781 please", "Medicaid # [ID] please"),
    ("my code for the program is iPLEDGE 4410-822-319.", "my code for the program is [ID]."),
    ("his plate is KDX4R lol", "his plate is [ID] lol"),
    ("the lot number is FK9893.", "the lot number is [ID]."),
    ("my username is kp_77 on the portal", "my username is [HANDLE] on the portal"),
    ("my posts are at u/itchy_elbows if you want", "my posts are at [HANDLE] if you want"),
    ("add me on discord sleepy.owl#5521", "add me on discord [HANDLE]"),
    ("snapchat: bekka_b99", "snapchat: [HANDLE]"),
    ("Her email: marta.lind [at] example.se", "Her email: [EMAIL]"),
])
def test_numbers_handles_and_emails_of_other_shapes(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["my LDL 162 190 175 over the years", "my username is great",
                                  "I posted on reddit about it"])
def test_plain_words_after_an_account_label_are_kept(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


# --- towns: before a state or province, after a street address, after "we're in" ----------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("got a tick bite hiking near Lyme, CT last week", "got a tick bite hiking near [LOCATION], CT last week"),
    ("My cabin is outside Salmon, Idaho.", "My cabin is outside [LOCATION], [LOCATION]."),
    ("We're at 12 Oak Street, Milbridge. Help", "We're at [ADDRESS], [LOCATION]. Help"),
    ("we're in Stavanger for the summer", "we're in [LOCATION] for the summer"),
    ("I got Lyme disease near Old Lyme last summer.", "I got Lyme disease near [LOCATION] last summer."),
    ("He got a tick bite at camp in Old Lyme on a hike.", "He got a tick bite at camp in [LOCATION] on a hike."),
])
def test_towns_by_their_region_or_address(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["I have Lyme disease from a tick.", "Is Yoga OK? my back hurts",
                                  "the pain is near Old age",
                                  "Is Tylenol OK with Advil?", "I'm in Pain all day"])
def test_a_capitalised_word_before_a_word_code_is_no_town(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


@pytest.mark.parametrize(("text", "expected"), [
    ("no it's my flatmate gary who took them.", "no it's my flatmate [NAME] who took them."),
    ("my uncle Lasse has gout", "my uncle [NAME] has gout"),
    ("Is this reflux? help. Tariq", "Is this reflux? help. [NAME]"),
    ("hot flashes are killing me. - rosalind, Tucson", "hot flashes are killing me. - [NAME], [LOCATION]"),
    ("my username is dkraft88. i need my results", "my username is [HANDLE]. i need my results"),
    ("I'm Priya Raman from Coimbatore originally.", "I'm [NAME] from [LOCATION] originally."),
])
def test_overlapping_lead_ins_closings_and_rare_words(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["I switched from Ozempic to Mounjaro.", "She is in Hashimoto's crisis.",
                                  "I was in Pain all week.", "In Wilson disease the liver holds copper.",
                                  "a repeated attack also called episodesof nausea"])
def test_a_medicine_or_common_word_after_in_or_from_is_no_place(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


# --- a local phone number without its area code, after a phone's word ------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("my endo's office number is 555-0148. should i eat?", "my endo's office number is [PHONE]. should i eat?"),
    ("call me at 555-0199 please", "call me at [PHONE] please"),
    ("I take 500-1000 mg a day and my number of pills is 2", "I take 500-1000 mg a day and my number of pills is 2"),
])
def test_a_local_phone_number_after_a_phone_word(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected
