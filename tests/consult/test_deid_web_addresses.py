"""E-mail and web addresses at any top-level domain: the public suffix list names the delegated ones only, and an
address at a reserved (RFC 2606), private or newly delegated domain is still someone's."""

from __future__ import annotations

import pytest

from curbside.consult.deid import Deidentifier


@pytest.mark.parametrize(("text", "masked"), [
    ("Reach me at kim.ortega@harbourmail.test after six.", "Reach me at [EMAIL] after six."),
    ("Portal help: desk@records.clinic.internal", "Portal help: [EMAIL]"),
    ("Our family page is https://carenotes.example/family/ortega-22.", "Our family page is [URL]."),
    ("Log in at www.myportal.lan today", "Log in at [URL] today"),
    ("Diary kept at stepsofhope.example/blog/week-3, ask me for the login.",
     "Diary kept at [URL], ask me for the login."),
])
def test_addresses_at_any_top_level_domain(deid: Deidentifier, text: str, masked: str) -> None:
    assert deid.mask(text).text == masked


@pytest.mark.parametrize("text", [
    "Give 0.5 mg/kg once daily; check K+ and Na+ at 2/52.",
    "Dose 2.5mg/kg/day, max 40 mg/day, e.g. in renal impairment.",
    "Urine albumin/creatinine ratio 3.4 mg/mmol.",
])
def test_doses_and_ratios_are_no_addresses(deid: Deidentifier, text: str) -> None:
    assert "[URL]" not in deid.mask(text).text and "[EMAIL]" not in deid.mask(text).text
