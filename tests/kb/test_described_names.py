"""A page's own description names its subject another way: "Pink Eye (conjunctivitis) is …" (kb/synonyms.py)."""

from __future__ import annotations

from curbside.domain import Identifiers, Source, SourceKind
from curbside.kb.synonyms import FocusIndex, described_names


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
    assert [f.source_ids for f in index.find("How do you get rid of eye conjunctivitis?")] == [("m1",)]


def test_acronyms_and_short_everyday_words_are_not_taken() -> None:
    assert described_names(AFIB) == []  # "AF", "AFib": acronyms read in lower case may be plain words
    assert described_names(PERIODS) == []  # "period" is an everyday word
    assert FocusIndex([PERIODS]).find("How long is the incubation period of flu?") == []


def test_brackets_that_do_not_follow_the_title_name_nothing() -> None:
    other = _page("m5", "Hives", "Many people get hives (urticaria) after eating certain foods.")
    assert described_names(other) == []
    assert described_names(_page("m6", "Gout", "")) == []
