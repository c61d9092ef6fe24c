"""Word-boundary repairs on real MedQuAD sentences; real words and names stay whole."""

from __future__ import annotations

import pytest

from curbside.ingest.text_repair import (
    footnote_marks,
    glued_words,
    repair_glued_words,
    restore_contractions,
    split_glued,
    strip_footnote_marks,
)


def test_lost_em_dashes_are_put_back() -> None:
    # NIDDK "What I need to know about Diarrhea" and "Causes of Diabetes", as MedQuAD has them.
    text = "cramps or pain in the abdomenthe area between the chest and hips"
    assert glued_words(text) == ["abdomenthe"]
    assert repair_glued_words(text) == "cramps or pain in the abdomen—the area between the chest and hips"
    assert repair_glued_words("upper right abdomenthe area between the chest and hipsbelow the liver") == (
        "upper right abdomen—the area between the chest and hips—below the liver")
    assert split_glued("glutenfree") == ("gluten", "free")
    assert repair_glued_words("a glutenfree diet") == "a gluten-free diet"


@pytest.mark.parametrize("word", [
    "periorbital", "hydroxyproline", "fetalis", "cordis", "dynein", "kinesin", "therapist", "survivorship",
    "herpesvirus", "glomerulonephritis", "countless", "ureterolithiasis",
])
def test_real_words_stay_whole(word: str) -> None:
    assert split_glued(word) is None
    assert repair_glued_words(f"the {word} is") == f"the {word} is"


def test_names_urls_and_capitalised_tokens_are_not_touched() -> None:
    text = "Noonan syndrome; see www.niddk.nih.gov/healthinformation or Sandhoff disease."
    assert repair_glued_words(text) == text


def test_footnote_numbers_after_a_full_stop_are_dropped() -> None:
    text = "80 percent higher than for those who do not carry the gene variant.1 However, even in those"
    assert footnote_marks(text) == 1
    assert strip_footnote_marks(text) == (
        "80 percent higher than for those who do not carry the gene variant. However, even in those")
    kept = "Take 2.5 mg. Version 3.1 Beta and type 2.1 remain."
    assert strip_footnote_marks(kept) == kept


def test_contractions_get_their_apostrophe_back() -> None:
    assert restore_contractions("Diabetes develops when the body doesnt make enough insulin. Dont wait.") == (
        "Diabetes develops when the body doesn't make enough insulin. Don't wait.")


def test_the_documents_own_words_count() -> None:
    # NIDDK "Chronic Diarrhea in Children": neither part is a common dictionary word.
    page = ("Children with chronic diarrhea who have malabsorption can experience bloating and swelling. "
            "signs of malabsorptionbloating and swelling of the abdomen")
    assert repair_glued_words(page).endswith("signs of malabsorption—bloating and swelling of the abdomen")
    assert repair_glued_words("signs of malabsorptionbloating") == "signs of malabsorptionbloating"  # no evidence
    for word in ("antigenically", "kaposiform", "cytogenetically"):
        assert split_glued(word) is None
