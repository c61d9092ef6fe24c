"""Line-structured text: sentences per line, list items, headings, lead-ins with their items."""

from __future__ import annotations

from curbside.text import Block, is_heading_line, normalize_lines, outline, split_sentences


def test_a_line_break_ends_a_sentence_and_list_marks_are_dropped() -> None:
    text = "Options include\n- the first option\n- the second option. It has two sentences.\nClosing Heading\nLast one."
    assert split_sentences(text) == ["Options include", "the first option", "the second option.",
                                     "It has two sentences.", "Closing Heading", "Last one."]


def test_running_text_is_split_as_before() -> None:
    text = "Placeholder one is here. Placeholder two - Alpha - Beta stays. Dr. Who is fine."
    assert split_sentences(text) == ["Placeholder one is here.", "Placeholder two", "Alpha", "Beta stays.",
                                     "Dr. Who is fine."]


def test_outline_gives_lead_ins_their_items_as_children() -> None:
    text = "First sentence. Options include:\n- alpha\n- beta\nPlaceholder Heading\nBody text here."
    assert outline(text) == [
        Block("sentence", "First sentence."),
        Block("intro", "Options include:", ("alpha", "beta")),
        Block("heading", "Placeholder Heading"),
        Block("sentence", "Body text here."),
    ]


def test_heading_lines() -> None:
    assert is_heading_line("Calcium Phosphate Stones")
    assert not is_heading_line("Signs of dehydration in adults are:")
    assert not is_heading_line("- an item")
    assert not is_heading_line("A full sentence ends with a stop.")
    assert normalize_lines("  a  b \n\n c ") == "a b\nc"
