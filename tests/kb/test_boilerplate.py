"""Sentences many sources print: read off the knowledge base, not listed by hand (kb/boilerplate.py)."""

from __future__ import annotations

from curbside.kb.boilerplate import MIN_CHARS, Boilerplate, sentence_key

REPEATED = ("Because clinical trials are conducted under widely varying conditions, adverse reaction rates "
            "observed in the clinical trials of a drug cannot be directly compared to rates in other trials.")


def _texts(sources: int, sentence: str) -> list[tuple[str, str]]:
    return [(f"label-{i}", f"Drug {i} lowers blood pressure in adults. {sentence} It comes as a tablet.")
            for i in range(sources)]


def test_a_sentence_printed_by_many_sources_is_boilerplate_and_one_source_printing_it_often_is_not() -> None:
    read = Boilerplate.reading(_texts(10, REPEATED), min_sources=10)
    assert REPEATED in read
    # an article more or less and other digits are the same sentence
    assert REPEATED.replace("adverse reaction rates", "the adverse reaction rates") in read
    assert "Drug 3 lowers blood pressure in adults." not in read  # each source's own sentence
    fewer = Boilerplate.reading(_texts(9, REPEATED), min_sources=10)
    assert REPEATED not in fewer
    once = Boilerplate.reading([("label-1", f"{REPEATED} {REPEATED}")] * 12, min_sources=10)
    assert REPEATED not in once  # one source saying it twelve times is still one source


def test_short_sentences_are_never_boilerplate() -> None:
    short = "Tell your doctor."
    assert len(short) < MIN_CHARS
    assert short not in Boilerplate.reading(_texts(20, short), min_sources=10)
    assert sentence_key("The  dose is 5 mg, taken with a meal.") == sentence_key("Dose is 10 mg taken with meal")


def test_a_sentence_on_a_tenth_of_all_sources_is_printed_everywhere() -> None:
    furniture = "The first number of the fraction is how many people had the symptom in one study."
    texts = [(f"page-{i}", f"Page {i} describes its own condition in its own words. {furniture}") for i in range(30)]
    texts += [(f"label-{i}", f"Label {i} has its own indications. {REPEATED}") for i in range(10)]
    texts += [(f"other-{i}", f"Other page {i} says something else entirely here.") for i in range(260)]
    read = Boilerplate.reading(texts, min_sources=10)
    assert furniture in read and read.printed_everywhere(furniture)  # 30 of 300 sources
    assert REPEATED in read and not read.printed_everywhere(REPEATED)  # 10 of 300: repeated, not everywhere
