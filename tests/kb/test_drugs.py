"""Names of medicines: a brand names the label of its generic medicine, a combination's label does
not speak for each of its medicines, and everyday words are not medicines.

Real parts: the ``drug-named-entity-recognition`` package's dictionary and pyspellchecker's word counts.
"""

from __future__ import annotations

from curbside.domain import Source, SourceKind
from curbside.kb.drugs import dictionary, medicines_in
from curbside.kb.synonyms import FocusIndex


def _label(sid: str, title: str, *topics: str) -> Source:
    return Source(id=sid, kind=SourceKind.DRUG_LABEL, title=title, topics=list(topics), collection="dailymed")


def test_the_dictionary_knows_a_brand_by_its_generic_medicine() -> None:
    drugs = dictionary()
    assert drugs.canonical("Wellbutrin") == "bupropion"
    assert "wellbutrin" in drugs.other_names("bupropion hydrochloride")
    assert drugs.canonical("not a medicine at all") is None


def test_a_question_names_medicines_but_not_everyday_words() -> None:
    found = medicines_in("Can I take Zyrtec with my morning coffee, or with a glass of alcohol?")
    assert found == [("zyrtec", "cetirizine")]
    assert medicines_in("Does iron or zinc help?") == []
    # a brand name that is also an English word is still a medicine
    assert ("prozac", "fluoxetine") in medicines_in("Is Prozac addictive?")


def test_a_brand_name_finds_the_label_of_its_generic_medicine() -> None:
    index = FocusIndex([_label("l1", "Bupropion Hydrochloride", "bupropion hydrochloride")])
    found = index.find("Is Wellbutrin habit forming?")
    assert [f.source_ids for f in found] == [("l1",)]
    assert index.covers_medicine("wellbutrin", "bupropion")


def test_a_combination_label_does_not_take_the_brand_names_of_each_of_its_medicines() -> None:
    combo = _label("c1", "Comboxa (fluoxetine hydrochloride and olanzapine)", "comboxa", "fluoxetine", "olanzapine")
    index = FocusIndex([combo])
    assert index.find("Is Prozac safe?") == []
    # … but the label does hold the medicine, so a question naming it is not told there is no label
    assert index.covers_medicine("prozac", "fluoxetine")
    assert not FocusIndex([_label("l1", "Bupropion Hydrochloride")]).covers_medicine("zyrtec", "cetirizine")


def test_a_label_named_by_salts_alone_is_not_named_by_one_of_them() -> None:
    labels = [_label("n1", "Sodium Nitrite", "sodium nitrite"), _label("n2", "Amyl Nitrite", "amyl nitrite"),
              _label("w1", "Warfarin Sodium", "warfarin sodium"), _label("x1", "Naproxen Sodium", "naproxen sodium")]
    index = FocusIndex(labels)
    assert [f.source_ids for f in index.find("What is amyl?")] == [("n2",)]  # the salt cut from a medicine
    assert index.find("How much sodium is in table salt?") == []  # … but not a salt left alone


def test_a_name_after_non_names_something_else() -> None:
    """ "non-Hodgkin lymphoma" is not Hodgkin lymphoma: a question about it is not about that page."""
    pages = [Source(id="medlineplus:hodgkin", kind=SourceKind.PATIENT_EDUCATION, title="Hodgkin Lymphoma"),
             Source(id="medlineplus:lymphoma", kind=SourceKind.PATIENT_EDUCATION, title="Lymphoma")]
    index = FocusIndex(pages)
    # the lymphoma page, by the name MedQuAD's annotators also give it ("Non-Hodgkin lymphoma"), never the Hodgkin page
    assert [f.source_ids for f in index.find("Is non-Hodgkin lymphoma curable?")] == [("medlineplus:lymphoma",)]
    assert [f.name for f in index.find("Is Hodgkin lymphoma curable?")] == ["hodgkin lymphoma"]
    both = {f.name: f.source_ids for f in index.find("Hodgkin lymphoma or non-Hodgkin lymphoma?")}
    assert both == {"non hodgkin lymphoma": ("medlineplus:lymphoma",), "hodgkin lymphoma": ("medlineplus:hodgkin",)}
