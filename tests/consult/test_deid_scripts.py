"""Prose in scripts spaCy's English model was not trained on: its entity guesses there are noise.

Found by reading the de-identifier on invented messages in other languages (twenty-first session): spaCy read a
Korean and a Thai sentence about a fever as a person's name and the page would have shown "[NAME]" for the whole
complaint. Names in those scripts are the context recognizers' (after a lead-in such as 我叫 or меня зовут),
which ``test_deid_classes6.py`` tests.
"""

from __future__ import annotations

import pytest

from curbside.consult.deid import Deidentifier


@pytest.mark.parametrize("text", [
    "아이가 열이 나고 기침을 해요. 해열제를 먹여도 될까요?",  # my child has a fever and a cough
    "머리가 아프고 열이 나요",  # my head hurts and I have a fever
    "ฉันปวดหัวมากและมีไข้ ควรไปหาหมอไหม",  # a bad headache and a fever: should I see a doctor?
    "我最近总是头痛，吃了布洛芬也没用。",  # headaches lately, ibuprofen does not help
    "У меня болит голова уже неделю, принимаю ибупрофен.",  # a week of headache, taking ibuprofen
    "أعاني من صداع مستمر منذ أسبوع",  # a headache for a week
])
def test_complaints_in_other_scripts_stay(deid: Deidentifier, text: str) -> None:
    assert deid.mask(text).text == text


def test_a_latin_name_beside_them_is_still_found(deid: Deidentifier) -> None:
    masked = deid.mask("아이가 열이 나요. My name is Dana Whitcombe.").text
    assert "Whitcombe" not in masked and "아이가 열이 나요" in masked


# --- a pronoun or article of another language opening a sentence is no name ("Ella" is "she" in Spanish) ---

@pytest.mark.parametrize("text", [
    "Ella tiene fiebre desde ayer y le duele la garganta.",  # she has had a fever since yesterday
    "Una amiga me dijo que el ibuprofeno es malo para el estómago.",  # a friend told me
    "Mia figlia ha la febbre da due giorni.",  # my daughter has had a fever for two days
])
def test_function_words_of_other_languages_stay(deid: Deidentifier, text: str) -> None:
    assert deid.mask(text).text == text


@pytest.mark.parametrize(("text", "expected"), [
    ("Ella has had a fever since yesterday.", "[NAME] has had a fever since yesterday."),  # an English sentence
    ("Mi hermana Ella tiene asma.", "Mi hermana [NAME] tiene asma."),  # not opening the sentence
    ("Nina tiene tos desde el lunes.", "[NAME] tiene tos desde el lunes."),  # no function word
])
def test_the_same_words_as_names_are_still_masked(deid: Deidentifier, text: str, expected: str) -> None:
    assert deid.mask(text).text == expected
