"""A page's own description names its subject another way: "Pink Eye (conjunctivitis) is …" (kb/synonyms.py)."""

from __future__ import annotations

from curbside.domain import Identifiers, Source, SourceKind
from curbside.kb.synonyms import FocusIndex, annotated_names, described_names


def _page(source_id: str, title: str, description: str) -> Source:
    return Source(id=source_id, kind=SourceKind.PATIENT_EDUCATION, title=title, collection="medlineplus",
                  topics=[title], identifiers=Identifiers(other={"meta_description": description}))


# MedlinePlus health-topic descriptions (public domain)
PINK_EYE = _page("m1", "Pink Eye", "Pink Eye (conjunctivitis) is inflammation of the outer layer of the eye and inside "
                                   "of the eyelid. Read about the symptoms, causes, and treatment.")
AFIB = _page("m2", "Atrial Fibrillation", "Atrial fibrillation (AF or AFib) is a problem with the heart's rhythm.")
PERIODS = _page("m3", "Menstruation", "Menstruation (period) is normal vaginal bleeding that occurs each month.")
CARE = _page("m4", "Critical Care", "Critical care (also called intensive care) is medical care for people who have "
                                    "life-threatening injuries and illnesses.")


def test_the_name_in_brackets_after_the_title_is_another_name_of_the_page() -> None:
    assert described_names(PINK_EYE) == ["conjunctivitis"]
    assert described_names(CARE) == ["intensive care"]  # "also called" is not part of the name
    index = FocusIndex([PINK_EYE, CARE])
    assert [f.source_ids for f in index.find("Is conjunctivitis treated with eye drops?")] == [("m1",)]


def test_acronyms_and_short_everyday_words_are_not_taken() -> None:
    assert described_names(AFIB) == []  # "AF", "AFib": acronyms read in lower case may be plain words
    assert described_names(PERIODS) == []  # "period" is an everyday word
    assert FocusIndex([PERIODS]).find("How long is the incubation period of flu?") == []


def test_brackets_that_do_not_follow_the_title_name_nothing() -> None:
    other = _page("m5", "Hives", "Many people get hives (urticaria) after eating certain foods.")
    assert described_names(other) == []
    assert described_names(_page("m6", "Gout", "")) == []


# MedlinePlus health-topic titles (public domain), named also as MedQuAD's annotators name them (CC BY 4.0)
THYROID = _page("m5", "Hypothyroidism", "Hypothyroidism happens when your thyroid gland does not make enough thyroid "
                                        "hormone to meet your body's needs. Hypothyroidism is more common in women.")
BRUCELLA = _page("m6", "Brucellosis", "")


def test_the_names_medquad_annotates_for_a_subject_name_the_page_titled_so() -> None:
    assert "Underactive thyroid" in annotated_names(["Hypothyroidism"])
    assert "Undulant fever" in annotated_names(["brucellosis"])  # names are compared as names, not as written
    index = FocusIndex([THYROID, BRUCELLA])
    assert [f.source_ids for f in index.find("Does an underactive thyroid make you tired?")] == [("m5",)]
    assert [f.source_ids for f in index.find("What is undulant fever?")] == [("m6",)]


def test_an_annotated_everyday_word_is_not_taken_as_a_name() -> None:
    # MedQuAD gives hemorrhoids "Piles" and gas "Burp": short everyday words, as in descriptions
    assert "Rectal lump" in annotated_names(["Hemorrhoids"]) and "Piles" not in annotated_names(["Hemorrhoids"])
    assert "Flatulence" in annotated_names(["Gas"]) and "Burp" not in annotated_names(["Gas"])
    assert annotated_names(["a subject nobody annotated"]) == []


def test_an_annotated_index_entry_is_read_as_a_name_and_its_head_alone_names_nothing() -> None:
    # MedQuAD writes some names as an index does: "Ringworm - foot", "Cancer - thyroid"
    assert "thyroid Cancer" in annotated_names(["Thyroid Cancer"])
    feet = _page("m7", "Athlete's Foot", "")
    index = FocusIndex([feet])
    assert [f.source_ids for f in index.find("Is tinea pedis catching?")] == [("m7",)]
    assert index.find("Why does my foot hurt after a run?") == []  # not "foot", the tail of "Ringworm - foot"
