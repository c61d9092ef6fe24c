"""Passages are grouped by the section type their source (or the type classifier) gives them; only research
abstracts' labels, which carry no type, are grouped by their heading text."""

from __future__ import annotations

import pytest

from curbside.answer.understand.plans import heading_matches, heading_types, section_library
from curbside.domain import InfoType


@pytest.mark.parametrize(("groups", "section_type", "expected"), [
    (("treatment",), InfoType.TREATMENT, True),
    (("treatment",), InfoType.LIVING, True),  # what to do for it: self-care
    (("considerations",), InfoType.LIVING, True),
    (("causes",), InfoType.SUSCEPTIBILITY, True),  # who is at risk
    (("prognosis",), InfoType.COMPLICATIONS, True),
    (("symptoms",), InfoType.TREATMENT, False),
    (("diagnosis", "symptoms"), InfoType.SYMPTOMS, True),
])
def test_a_typed_passage_is_grouped_by_its_type(groups: tuple[str, ...], section_type: InfoType,
                                                 expected: bool) -> None:
    # the heading's words do not decide: an untyped copy of the same heading belongs to no typed group
    assert heading_matches(groups, ["A heading in any words"], section_type) is expected
    assert not heading_matches(groups, ["What are the treatments for gout?"], None)


@pytest.mark.parametrize(("group", "heading", "expected"), [
    ("conclusions", "Conclusions", True), ("conclusions", "RESULTS", True), ("study", "Methods", True),
    ("study", "Patients and Methods", True), ("conclusions", "Conclusions and relevance", False),
    ("study", "Results", False),
])
def test_research_abstract_labels_are_grouped_by_their_text(group: str, heading: str, expected: bool) -> None:
    assert heading_matches((group,), [heading], None) is expected


def test_every_section_names_known_groups() -> None:
    known = set(heading_types()) | {"conclusions", "study"}
    for key, raw in section_library().items():
        assert set(raw.get("headings", [])) <= known, key
