"""The safety gate: red-flag and medication notices, decided before anything is composed.

The patterns and notice texts are data (``plans/safety.toml``). An emergency pattern puts an
urgent notice first, for both audiences (each has its own wording); the informational answer is
still composed after it. A patient asking about starting, stopping or dosing a medicine gets a
notice that the answer is informational and that their clinician or pharmacist decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from curbside.answer.understand.plans import compile_all, load_data
from curbside.domain import Audience, Notice
from curbside.text import normalize_space


@dataclass(frozen=True)
class RedFlag:
    name: str
    patterns: tuple[re.Pattern[str], ...]
    requires: tuple[re.Pattern[str], ...]
    clinician: str
    patient: str

    def matches(self, text: str) -> bool:
        if not any(p.search(text) for p in self.patterns):
            return False
        return not self.requires or any(p.search(text) for p in self.requires)


@dataclass(frozen=True)
class _Gate:
    red_flags: tuple[RedFlag, ...]
    medication: tuple[re.Pattern[str], ...]
    medication_notice: str


@cache
def _gate() -> _Gate:
    data = load_data("safety")
    flags = tuple(
        RedFlag(name=f["name"], patterns=compile_all(f["patterns"], f"safety.toml:{f['name']}"),
                requires=compile_all(f.get("requires", []), f"safety.toml:{f['name']}.requires"),
                clinician=f["clinician"], patient=f["patient"])
        for f in data["red_flag"]
    )
    med = data["medication"]
    return _Gate(flags, compile_all(med["patterns"], "safety.toml:medication"), med["patient"])


def red_flags() -> tuple[RedFlag, ...]:
    return _gate().red_flags


def matched_red_flags(question: str) -> list[str]:
    """Names of the red-flag families a question matches."""
    text = normalize_space(question)
    return [flag.name for flag in _gate().red_flags if flag.matches(text)]


def screen(question: str, audience: Audience) -> list[Notice]:
    """The notices a question needs, urgent ones first."""
    text = normalize_space(question)
    gate = _gate()
    notices: list[Notice] = []
    for flag in gate.red_flags:
        if flag.matches(text):
            wording = flag.patient if audience == Audience.PATIENT else flag.clinician
            notices.append(Notice(kind="emergency", text=wording, urgent=True))
    if audience == Audience.PATIENT and any(p.search(text) for p in gate.medication):
        notices.append(Notice(kind="medication", text=gate.medication_notice, urgent=False))
    return notices
