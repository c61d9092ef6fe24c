"""A question names a subject in forms its page's title does not write (kb/synonyms.py): a possessive ("Addison's
disease" for "Addison Disease"), the other number of a short last word ("dry eyes"), the germ of a page named for
its virus ("Zika"), one of the two subjects a consumer topic joins ("cleft lip"), an acronym the title writes with
full stops ("PAD"). Titles are MedlinePlus's and MedQuAD's own (public domain)."""

from __future__ import annotations

from curbside.domain import Source, SourceKind
from curbside.kb.synonyms import FocusIndex, conjoined, key_of, name_variants


def _page(source_id: str, title: str, collection: str = "medlineplus") -> Source:
    return Source(id=source_id, kind=SourceKind.PATIENT_EDUCATION, title=title, collection=collection, topics=[title])


INDEX = FocusIndex([
    _page("medlineplus:addison", "Addison Disease"), _page("medquad:dry-eye", "Dry Eye", "medquad"),
    _page("medlineplus:zika", "Zika Virus"), _page("medlineplus:cleft", "Cleft Lip and Palate"),
    _page("medlineplus:pad", "Peripheral Arterial Disease (P.A.D.)"), _page("medlineplus:gas", "Blood Gas"),
    _page("medquad:shock", "Hemorrhagic shock and encephalopathy syndrome", "medquad"),
    _page("medlineplus:hn", "Head and Neck Cancer"),
])


def _found(text: str) -> list[tuple[str, ...]]:
    return [f.source_ids for f in INDEX.find(text)]


def test_a_possessive_names_what_the_title_names_without_it() -> None:
    assert key_of("Addison's disease") == key_of("Addison’s Disease") == key_of("Addison\\'s disease") == "addison disease"
    assert _found("What is Addison's disease life expectancy?") == [("medlineplus:addison",)]


def test_a_short_last_word_names_in_either_number() -> None:
    assert _found("How do you fix dry eyes?") == [("medquad:dry-eye",)]
    assert "Blood Ga" not in name_variants("Blood Gas") and _found("blood ga levels") == []


def test_a_page_named_for_a_virus_is_named_by_the_germ_alone() -> None:
    assert "Zika" in name_variants("Zika Virus") and "Zika" in name_variants("Zika virus infection")
    assert _found("Is Zika still a concern?") == [("medlineplus:zika",)]
    assert name_variants("Viral Infections") == ["Viral Infections"]  # a kind of germ, not one germ


def test_a_consumer_topic_joining_two_subjects_names_each() -> None:
    assert conjoined("Cleft Lip and Palate") == ["Cleft Lip", "Cleft Palate"]
    assert _found("Is cleft lip hereditary?") == [("medlineplus:cleft",)]
    assert _found("When is cleft palate repaired?") == [("medlineplus:cleft",)]
    # not split: a first part of one word, a second of several, a rare disease's features joined
    assert conjoined("Head and Neck Cancer") == [] and conjoined("Animal Diseases and Your Health") == []
    assert _found("What causes hemorrhagic shock?") == [] and _found("Is my head hurting?") == []


def test_an_acronym_written_with_full_stops_is_named_without_them() -> None:
    assert "PAD" in name_variants("Peripheral Arterial Disease (P.A.D.)")
    assert _found("Is PAD a serious condition?") == [("medlineplus:pad",)]
    assert _found("Should I use a heating pad?") == []  # written in lower case, the word is a pad
