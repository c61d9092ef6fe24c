"""De-identification classes found by the spent fourth held-out set (bench/data/deid_heldout4.txt), each
tested with invented examples: other members of the same class, never the held-out strings."""

from __future__ import annotations

import pytest

from curbside.consult.deid import Deidentifier


def _masked(deid: Deidentifier, text: str) -> str:
    return deid.mask(text).text


# --- dates: a time of day before or after, a part of the day, months in any case, day-first dates ---------

@pytest.mark.parametrize(("text", "expected"), [
    ("The echo is Wednesday afternoon at 3, fasting?", "The echo is [DATE], fasting?"),
    ("Cramps since Friday night. Is it the statin?", "Cramps since [DATE]. Is it the statin?"),
    ("my biopsy is on feb 12 @ 11:40am. scared", "my biopsy is on [DATE] scared"),
    ("Booked for June 9th at 8 AM in radiology.", "Booked for [DATE] in radiology."),
    ("Sample taken 11/02/2023 2215. Potassium 6.1.", "Sample taken [DATE]. Potassium 6.1."),
    ("Alarm went off at 4:05am on the 12th, then again.", "Alarm went off at [DATE], then again."),
    ("ED arrival 23:50 Wed 4 Sep: chest pain.", "ED arrival [DATE]: chest pain."),
    ("Infusion is tomorrow, Nov 3, at 10am. Any tips?", "Infusion is [DATE] Any tips?"),
    ("Clinic log 22-NOV-2023 14:05. Seen by registrar.", "Clinic log [DATE]. Seen by registrar."),
    ("SURGERY ON NOV 3RD AT THE CLINIC", "SURGERY ON [DATE] AT THE CLINIC"),
    ("camping trip aug 14-19, can I take my insulin?", "camping trip [DATE], can I take my insulin?"),
    ("Bloods on Thu 19/09 please.", "Bloods [DATE] please."),
    ("s/p cholecystectomy 27/03. Afebrile.", "s/p cholecystectomy [DATE]. Afebrile."),
    ("Discharge tomorrow (14/08) if stable.", "Discharge [DATE] if stable."),
    ("positive swab yesterday 9/3, now coughing", "positive swab [DATE], now coughing"),
    ("operada en marzo de 2021, sin problemas", "operada en [DATE], sin problemas"),
    ("vuelve el jueves 14 al control", "vuelve [DATE] al control"),
    ("apwyntiad dydd Gwener 12 Hydref", "apwyntiad [DATE]"),
    ("sinh ngày 15 tháng 8 ở bệnh viện", "sinh [DATE] ở bệnh viện"),
    ("手术在7月15日进行", "手术在[DATE]进行"),
])
def test_dates_with_times_parts_of_day_and_other_forms(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", [
    "I may 3 times a day take it",
    "MMSE 24/30 and GCS 14/15 on admission",
    "take 1/2 tablet twice daily",
])
def test_counts_scores_and_fractions_are_no_dates(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


# --- ages over 89 in more phrasings ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("my gran is 97 and her ankles are swollen", "my gran is [AGE] and her ankles are swollen"),
    ("my mum had a fall. She's ninety-three. Is her INR ok?", "my mum had a fall. She's [AGE]. Is her INR ok?"),
    ("Pt ninety-four, confused since Tuesday.", "Pt [AGE], confused since Tuesday."),
])
def test_old_ages_said_of_a_relative_or_a_patient(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


def test_a_weight_after_shes_is_no_age(deid: Deidentifier) -> None:
    assert _masked(deid, "she's 95 kg now") == "she's 95 kg now"


# --- phone numbers read out in words -----------------------------------------------------------------

def test_a_phone_number_in_digit_words(deid: Deidentifier) -> None:
    assert _masked(deid, "call back on three one two, five five five, oh eight one four please") == \
        "call back on [PHONE] please"
    assert _masked(deid, "take one or two tablets") == "take one or two tablets"


# --- facilities: named after their noun, in other languages, by more nouns, workplaces, chains ------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Le suivi est à l'hôpital Necker-Lafayette depuis mai.", "Le suivi est à [FACILITY] depuis mai."),
    ("ingresada en el Hospital Virgen del Rocío por neumonía", "ingresada en el [FACILITY] por neumonía"),
    ("She was seen at Ospedale Sant'Orsola in Bologna.", "She was seen at [FACILITY] in [LOCATION]."),
    ("He is followed at Children's Hospital of Wuhan University.", "He is followed at [FACILITY]."),
    ("Her Hospital Anxiety and Depression Scale score was 14.", "Her Hospital Anxiety and Depression Scale score was 14."),
])
def test_facilities_named_after_their_noun(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("My GP at Tullybrook Healthcare changed my inhaler.", "My GP at [FACILITY] changed my inhaler."),
    ("He now lives at Ashgrove Manor, a care home.", "He now lives at [FACILITY], a care home."),
    ("my daughter's school Maple Hollow Elementary called", "my daughter's school [FACILITY] called"),
    ("Referred to the Okonjo Cancer Institute for a second opinion.",
     "Referred to the [FACILITY] for a second opinion."),
    ("Admitted to Cumbria and Lakeland Royal Infirmary overnight.", "Admitted to [FACILITY] overnight."),
    ("funded by the National Cancer Institute", "funded by the National Cancer Institute"),
    ("my son has ADHD and school starts soon", "my son has ADHD and school starts soon"),
])
def test_facilities_by_more_nouns(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("I work at Trader Joe's and stand all day.", "I work at [FACILITY] and stand all day."),
    ("she works weekends at the Greyhound Depot, any tips", "she works weekends at the [FACILITY], any tips"),
    ("I work at home on Mondays", "I work at home on Mondays"),
])
def test_workplaces(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Caremark says the refill is too early.", "[FACILITY] says the refill is too early."),
    ("my refill from express scripts never came", "my refill from [FACILITY] never came"),
])
def test_pharmacy_chains_first_in_a_sentence_or_in_lower_case(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


# --- people: words as names after a relation or spoken to, initials, headers, quoted nicknames, sign-offs ---

@pytest.mark.parametrize(("text", "expected"), [
    ("my husband Patience says I snore", "my husband [NAME] says I snore"),
    ("visitors (son Sterling) brought grapes", "visitors (son [NAME]) brought grapes"),
    ("Dear June, thank you for the leaflet.", "Dear [NAME], thank you for the leaflet."),
    ("hola, me llamo Mariam Traoré y tengo una pregunta", "hola, me llamo [NAME] y tengo una pregunta"),
    ("NOK Chidubem Eze (brother) informed.", "NOK [NAME] (brother) informed."),
    ("my son Type 1 diabetic since age 4", "my son Type 1 diabetic since age 4"),
    ("Hi All, quick question about statins", "Hi All, quick question about statins"),
])
def test_names_marked_by_a_relation_or_spoken_to(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Swabs from K. Oyelowo and T. Nakashima were positive.", "Swabs from [NAME] and [NAME] were positive."),
    ("From: Tomasz Wierzbicki [t.w@example.org] Subject: rash", "From: [NAME] [[EMAIL]] Subject: rash"),
    ("Re: Lucinda Ferreira Prates, age 40, referral", "Re: [NAME], age 40, referral"),
    ("my uncle Bartholomew 'Bart' Quayle, 60, has gout.", "my uncle [NAME], 60, has gout."),
    ("H. pylori and E. coli were both found.", "H. pylori and E. coli were both found."),
    ("it was hepatitis B. He is fine now.", "it was hepatitis B. He is fine now."),
])
def test_initials_headers_and_quoted_nicknames(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("is that normal? - Sawyer, @sawyer.runs", "is that normal? - [NAME], [HANDLE]"),
    ("my feet are numb at work. Phoenix", "my feet are numb at work. [NAME]"),
    ("shall I stop it? - Elowen'", "shall I stop it? - [NAME]'"),
])
def test_signatures_with_a_handle_a_quote_or_a_given_name_of_other_lists(deid: Deidentifier, text: str,
                                                                         expected: str) -> None:
    assert _masked(deid, text) == expected


# --- found by curbside's own recognizers, not left to spaCy's reading of the sentence --------------------
# (spaCy's small model often tags these too, depending on the words around them; the recognizers must not
# depend on that)

def _spans(recognizer: object, text: str) -> list[str]:
    results = recognizer.analyze(text, [])  # type: ignore[attr-defined]
    return [text[r.start:r.end] for r in results]


@pytest.mark.parametrize(("text", "town"), [
    ("greetings from Mobile! the humidity is awful for my asthma", "Mobile"),
    ("my friend from Normal has the same rash", "Normal"),
    ("they transferred him to Pontefract for the angiogram", "Pontefract"),
])
def test_towns_that_are_english_words_or_after_to(text: str, town: str) -> None:
    from curbside.consult.context_recognizers import LeadInPlaceRecognizer

    assert town in _spans(LeadInPlaceRecognizer(), text)


@pytest.mark.parametrize("text", [
    "she went to Church on Sunday",
    "my gyn switched me from Yaz to Errin",
    "I'm in Pain all day",
])
def test_words_after_to_or_in_that_are_no_towns(text: str) -> None:
    from curbside.consult.context_recognizers import LeadInPlaceRecognizer

    assert not [s for s in _spans(LeadInPlaceRecognizer(), text) if s in ("Church", "Errin", "Pain")]


@pytest.mark.parametrize(("text", "facility"), [
    ("Discharge summary. Calloway Health, 12 Oak St.", "Calloway Health"),
    ("my referral says Greaves Family Medicine, 4 Elm Rd.", "Greaves Family Medicine"),
    ("the letter from TVR Health came today", "TVR Health"),
])
def test_health_systems_named_after_a_name(text: str, facility: str) -> None:
    from curbside.consult.context_recognizers import HealthSystemRecognizer

    assert _spans(HealthSystemRecognizer(), text) == [facility]


@pytest.mark.parametrize("text", ["she sees Internal Medicine and Mental Health", "Sports Medicine clinic",
                                  "the NHS Health Check is due"])
def test_fields_and_programmes_are_no_health_systems(text: str) -> None:
    from curbside.consult.context_recognizers import HealthSystemRecognizer

    assert _spans(HealthSystemRecognizer(), text) == []


@pytest.mark.parametrize(("text", "holiday"), [
    ("leave for Eid, back Monday", "Eid"),
    ("chest pain on Burns Night after dinner", "Burns Night"),
    ("fever since carnaval, platelets low", "carnaval"),
    ("home for Chuseok with the family", "Chuseok"),
])
def test_holidays_of_more_countries_and_their_short_names(text: str, holiday: str) -> None:
    from curbside.consult.context_recognizers import HolidayRecognizer

    assert holiday in " ".join(_spans(HolidayRecognizer(), text))


def test_a_vietnamese_general_hospital_is_one_facility(deid: Deidentifier) -> None:
    assert _masked(deid, "điều trị tại Bệnh viện Đa khoa Hòa Bình, kháng sinh") == "điều trị tại [FACILITY], kháng sinh"


# --- numbers after more labels or by their shape; streets without a house number -------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Your booking Ref QX-REF-55190 is confirmed.", "Your booking Ref [ID] is confirmed."),
    ("Codice fiscale KRSMNL80A01H501U, grazie.", "Codice fiscale [ID], grazie."),
    ("PhilHealth 21-334455667-8 please.", "PhilHealth [ID] please."),
    ("RUT 12.345.678-5, 44 años", "RUT [ID], 44 años"),
    ("DNI 41122334-Z, alergia a penicilina", "DNI [ID], alergia a penicilina"),
    ("the sensor transmitter 7Q2XWP keeps dropping", "the sensor transmitter [ID] keeps dropping"),
])
def test_numbers_after_more_labels_or_by_shape(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


def test_gene_and_lab_names_are_no_codes(deid: Deidentifier) -> None:
    text = "CYP2C19 poor metabolizer, HLA-B*58:01 positive, PD-L1 50%, HbA1c 7.2, BRCA1 negative"
    assert _masked(deid, text) == text


@pytest.mark.parametrize(("text", "expected"), [
    ("the pharmacy on W 23rd St closes early", "the pharmacy on [ADDRESS] closes early"),
    ("the walk-in on elm street was closed", "the walk-in on [ADDRESS] was closed"),
    ("he lives on the street now", "he lives on the street now"),
])
def test_streets_without_a_house_number(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


# --- a place's two-word name after "at"/"via"; a ZIP code after a town without its state ------------------

@pytest.mark.parametrize(("text", "found"), [
    ("MRI at Kenmore Eastside was normal.", ["Kenmore Eastside"]),
    ("transferred via Hollins Westgate ED overnight", ["Hollins Westgate"]),
    ("we met at Lisa Moore's house", []),
    ("the rash at Night Shift started", []),
])
def test_a_places_name_after_at(text: str, found: list[str]) -> None:
    from curbside.consult.context_recognizers import PlaceAfterAtRecognizer

    assert _spans(PlaceAfterAtRecognizer(), text) == found


@pytest.mark.parametrize(("text", "found"), [
    ("Address 12 Oak Row, Sacramento 95814. Thanks", ["95814"]),
    ("Vitamin D 50000 units weekly", []),
])
def test_a_zip_code_after_a_town(text: str, found: list[str]) -> None:
    from curbside.consult.context_recognizers import TownZipRecognizer

    assert _spans(TownZipRecognizer(), text) == found
