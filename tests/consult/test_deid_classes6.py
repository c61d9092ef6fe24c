"""De-identification classes found by the spent fifth held-out set (bench/data/deid_heldout5.txt), each
tested with invented examples: other members of the same class, never the held-out strings."""

from __future__ import annotations

import pytest

from curbside.consult.deid import Deidentifier


def _masked(deid: Deidentifier, text: str) -> str:
    return deid.mask(text).text


# --- handles after a messaging or payment app, or a system's user ------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("The chart was opened by user qlarkin4 at night.", "The chart was opened by user [HANDLE] at night."),
    ("add me on wechat ming_li88 pls", "add me on wechat [HANDLE] pls"),
    ("kakao id hoonie77 if easier", "kakao id [HANDLE] if easier"),
    ("venmo me @sara-kwon for the copay", "venmo me [HANDLE] for the copay"),
])
def test_handles_after_apps_and_users(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["the user manual says two tabs", "signal is weak here, sorry",
                                  "on facebook groups people say it helps"])
def test_app_words_without_a_handle_stay(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


# --- ages over 89: after a named subject, in brackets after a name, German "J.", CJK, "shes" --------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Mr. Odin Farrow is 103 and walks daily", "[NAME] is [AGE] and walks daily"),
    ("visited Mrs. Ito (97 today) on the ward", "visited [NAME] ([AGE] today) on the ward"),
    ("Befund: Herr Karl Sommer, 93 J., Pflegeheim", "Befund: [NAME], [AGE], Pflegeheim"),
    ("我奶奶今年95岁了", "我奶奶今年[AGE]了"),
    ("my nan, shes 96, has a cough", "my nan, shes [AGE], has a cough"),
    ("Instructions for Ted Lowe, ninety-two: one tablet", "Instructions for [NAME], [AGE]: one tablet"),
])
def test_old_ages_in_more_contexts(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["Room (101) is cold", "Her sugar is 95 now", "the Hb (95) was low",
                                  "Glucose (98) ok"])
def test_numbers_that_are_no_ages_stay(deid: Deidentifier, text: str) -> None:
    assert _masked(deid, text) == text


# --- dates with a time of day: day/month + time, weekday + time, "at 0615", "à 10h", "around 10" ---------

@pytest.mark.parametrize(("text", "expected"), [
    ("Handover 3/9 21:30: bed 4 stable", "Handover [DATE]: bed 4 stable"),
    ("tests done (4/23) all fine", "tests done ([DATE]) all fine"),
    ("NIGHT LINE CALL SAT 03:40 AM: CALLER SAYS FEVER", "NIGHT LINE CALL [DATE]: CALLER SAYS FEVER"),
    ("they said next Monday 9am for the scan", "they said [DATE] for the scan"),
    ("surgery 4/2/23 at 0615 by the team", "surgery [DATE] by the team"),
    ("RDV le lundi 4 mars à 10h.", "RDV [DATE]."),
    ("it started last Sunday night around 10, then", "it started [DATE], then"),
])
def test_dates_with_times(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


def test_fraction_stays(deid: Deidentifier) -> None:
    assert _masked(deid, "take 1/2 tab at night") == "take 1/2 tab at night"


# --- names known from contact details, or set beside a relation in brackets ------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("any advice on ear drops? ta, gwendolyn 07700 900 412", "any advice on ear drops? ta, [NAME] [PHONE]"),
    ("i work nights. rosalind, rosalind_k@example.com", "i work nights. [NAME], [EMAIL]"),
    ("my home one is down. dylan okonkwo, then the monitor. dokonkwo@example.org",
     "my home one is down. [NAME], then the monitor. [EMAIL]"),
    ("so my mum (Joy) fell over yesterday", "so my mum ([NAME]) fell over yesterday"),
    ("its for my grandpa ted (edward j. cole), he is 80", "its for my grandpa [NAME] ([NAME]), he is 80"),
    ("Alder (my son) has croup again", "[NAME] (my son) has croup again"),
])
def test_names_by_contacts_and_relations(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["my son (the eldest) has asthma", "my dad (type 2 diabetic) takes metformin",
                                  "call the pharmacy 555-0100 about it"])
def test_relations_without_names_stay(deid: Deidentifier, text: str) -> None:
    assert "[NAME]" not in _masked(deid, text)


# --- facilities named by a kind after a proper name: "… Unit", "… Group", "… Primary", "… Memorial" ----------

@pytest.mark.parametrize(("text", "expected"), [
    ("Transfer to Rangiora Burns Unit tomorrow", "Transfer to [FACILITY] tomorrow"),
    ("Attn: Westbrook Dialysis Unit, fax it", "Attn: [FACILITY], fax it"),
    ("TO: LAKESIDE SPINE GROUP FAX 555", "TO: [FACILITY] FAX 555"),
    ("Clinic is Maple Fertility in town", "Clinic is [FACILITY] in town"),
    ("she is at Ashgrove Senior Living", "she is at [FACILITY]"),
])
def test_facilities_by_kind_after_a_name(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["admitted to the Burns Unit", "she is in the intensive care unit",
                                  "seen at the Stroke Unit at 3", "is Internal Medical a thing"])
def test_kinds_of_unit_stay(deid: Deidentifier, text: str) -> None:
    assert "[FACILITY]" not in _masked(deid, text)


# --- identifiers in Chinese and Russian; eponyms after a word for "disease" survive -------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("你好，我叫李明华，住在杭州西湖区文三路120号。", "你好，我叫[NAME]，住在[ADDRESS]。"),
    ("我外孙女在华山医院工作。", "我外孙女在[FACILITY]工作。"),
    ("наш адрес ул. Ленина, д. 12, кв. 5.", "наш адрес [ADDRESS]."),
    ("Была в ГКБ №40, приём 3 июня.", "Была в [FACILITY], приём [DATE]."),
])
def test_chinese_and_russian_identifiers(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("term", ["болезнь Крона", "maladie de Basedow"])
def test_eponyms_after_a_word_for_disease_stay(deid: Deidentifier, term: str) -> None:
    assert term in _masked(deid, f"У Ивана {term}, он устал.") or term in _masked(deid, f"Jean a une {term}.")


# --- national identity numbers by their shape; a vehicle's plate after its label ------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Meu CPF é 123.456.789-09, obrigado.", "Meu CPF é [ID], obrigado."),
    ("Son numéro de sécu est 2 85 11 75 012 345 67 je crois.", "Son numéro de sécu est [ID] je crois."),
    ("Plate of the van in the bay BX 7KLM22, please move it.", "Plate of the van in the bay [ID], please move it."),
    ("my reg is LK19 ZTP if security asks", "my reg is [ID] if security asks"),
])
def test_national_ids_and_plates(deid: Deidentifier, text: str, expected: str) -> None:
    assert _masked(deid, text) == expected


@pytest.mark.parametrize("text", ["the plate was 12 cm wide", "tag along with mum to the clinic",
                                  "version 1.2.3-4 of the app"])
def test_numbers_near_plate_words_stay(deid: Deidentifier, text: str) -> None:
    assert "[ID]" not in _masked(deid, text)
