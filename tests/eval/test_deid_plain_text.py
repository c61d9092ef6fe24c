"""The ordinary medical text the de-identifier is measured on for over-masking (``bench/deid.py overmask``) and the
tagger may train on as identifier-free (``scripts/train_deid_tagger.py --negatives``)."""

from __future__ import annotations

from curbside.eval.deid import pack_texts, without_identifiers


def test_pack_text_is_split_into_disjoint_held_and_training_sources() -> None:
    held = pack_texts(5, held=True)
    rest = pack_texts(5, held=False)
    assert set(held) == set(rest) == {"drug_label", "patient_education", "research_article"}
    held_sentences = {s for pool in held.values() for sentences in pool for s in sentences}
    rest_sentences = {s for pool in rest.values() for sentences in pool for s in sentences}
    assert len(rest_sentences) > 3 * len(held_sentences) > 0
    # sentences shared by both are boilerplate that several sources repeat, never most of the held text
    assert len(held_sentences & rest_sentences) < 0.1 * len(held_sentences)
    assert all(len(s.split()) >= 5 for s in held_sentences)


def test_sentences_with_a_place_date_or_institution_are_not_identifier_free() -> None:
    plain = "Take this medicine with food to lower the chance of an upset stomach."
    kept = without_identifiers([
        plain,
        "Patients were enrolled between January 2003 and March 2005.",
        "The trial ran at the Townsville Cancer Centre.",
        "Most cases were reported in Denmark and Finland.",
        "Bell's palsy usually gets better on its own within weeks.",
    ])
    assert kept == [plain, "Bell's palsy usually gets better on its own within weeks."]
