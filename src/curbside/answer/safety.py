"""The safety gate: red-flag and medication notices, decided before anything is composed.

The patterns and notice texts are data (``plans/safety.toml``). An emergency pattern puts an
urgent notice first, for both audiences (each has its own wording); the informational answer is
still composed after it. A patient asking about starting, stopping or dosing a medicine gets a
notice that the answer is informational and that their clinician or pharmacist decides: when the
question says so in the words of ``[medication]`` or the type classifier reads it as asking what a
medicine's label answers (:data:`~curbside.kb.infotypes.MEDICINE_TYPES`; on the held-back quarter of
the hand-typed consumer questions the words alone found 16 % of the medicine questions, the two
together 67 %, at 73 % precision: thirty-fourth session).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from curbside.answer.understand.plans import compile_all, load_data
from curbside.domain import Audience, InfoType, Notice
from curbside.kb.infotypes import MEDICINE_TYPES
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


def screen(question: str, audience: Audience, asked: Sequence[InfoType] = ()) -> list[Notice]:
    """The notices a question needs, urgent ones first (``asked``: the types the classifier reads it as asking for,
    when it has read them)."""
    text = normalize_space(question)
    gate = _gate()
    notices: list[Notice] = []
    for flag in gate.red_flags:
        if flag.matches(text):
            wording = flag.patient if audience == Audience.PATIENT else flag.clinician
            notices.append(Notice(kind="emergency", text=wording, urgent=True))
    if audience == Audience.PATIENT and asks_about_medicines(text, asked):
        notices.append(_medication())
    return notices


def _medication() -> Notice:
    return Notice(kind="medication", text=_gate().medication_notice, urgent=False)


def asks_about_medicines(question: str, asked: Sequence[InfoType] = ()) -> bool:
    """Whether a question asks about taking a medicine: by its words, or by the classifier's reading."""
    return bool(MEDICINE_TYPES.intersection(asked)) or any(p.search(question) for p in _gate().medication)


def medication_notice(question: str, audience: Audience, asked: Sequence[InfoType],
                      notices: Sequence[Notice]) -> list[Notice]:
    """The medication notice a question read by the classifier (``asked``) adds to the safety screen's ``notices``
    (none when it has one already)."""
    if audience != Audience.PATIENT or any(n.kind == "medication" for n in notices):
        return []
    return [_medication()] if asks_about_medicines(normalize_space(question), asked) else []
