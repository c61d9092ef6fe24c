"""Whether a text reassures or urges, and whether More Info contradicts the doctor's reply.

The phrase lists and the reason for them are data (``data/stance.toml``). A phrase preceded by a
negation within the same clause ("not urgent", "no need to go to the emergency room") does not
count (only the four words before the phrase are looked at). The check is deliberately simple and conservative: it only holds a More Info for an editor,
who decides; it never changes what is shown.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

from curbside.domain import Answer
from curbside.errors import ConfigError

_NEGATION_WINDOW = 4  # words before a phrase, within its clause, where a negation cancels it
_CLAUSE = re.compile(r"[.;:!?\n]|\bbut\b|\bhowever\b", re.IGNORECASE)


class Stance(StrEnum):
    REASSURING = "reassuring"
    URGENT = "urgent"
    MIXED = "mixed"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class _Phrases:
    reassuring: tuple[re.Pattern[str], ...]
    urgent: tuple[re.Pattern[str], ...]
    negations: tuple[re.Pattern[str], ...]


def _compile(patterns: list[str], where: str) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    except re.error as exc:
        raise ConfigError(f"A pattern in stance.toml:{where} is broken: {exc}") from exc


@cache
def _phrases() -> _Phrases:
    raw = resources.files("curbside.consult").joinpath("data", "stance.toml").read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    return _Phrases(_compile(data["reassuring"], "reassuring"), _compile(data["urgent"], "urgent"),
                    _compile(data["negations"], "negations"))


def _hits(text: str, patterns: tuple[re.Pattern[str], ...]) -> list[str]:
    found = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            clause_start = max((m.end() for m in _CLAUSE.finditer(text, 0, match.start())), default=0)
            before = " ".join(text[clause_start:match.start()].split()[-_NEGATION_WINDOW:])
            if any(n.search(before) for n in _phrases().negations):
                continue
            found.append(match.group(0))
    return found


def stance_of(text: str) -> tuple[Stance, list[str]]:
    """The stance of ``text`` and the phrases that decided it."""
    reassuring = _hits(text, _phrases().reassuring)
    urgent = _hits(text, _phrases().urgent)
    if reassuring and urgent:
        return Stance.MIXED, reassuring + urgent
    if urgent:
        return Stance.URGENT, urgent
    if reassuring:
        return Stance.REASSURING, reassuring
    return Stance.NEUTRAL, []


def answer_text(answer: Answer) -> str:
    """Everything a More Info says, notices included (an urgent notice is part of its message)."""
    parts = [n.text for n in answer.notices if n.urgent]
    parts.append(answer.bottom_line.text)
    for section in answer.sections:
        parts.append(section.heading)
        stack = list(section.items)
        while stack:
            item = stack.pop(0)
            parts.append(item.text)
            stack.extend(item.children)
    return "\n".join(parts)


def contradiction(reply: str, more_info: Answer) -> str:
    """Why the More Info contradicts the doctor's reply, or '' when it does not."""
    doctor, doctor_why = stance_of(reply)
    expansion, expansion_why = stance_of(answer_text(more_info))
    if doctor == Stance.REASSURING and expansion in (Stance.URGENT, Stance.MIXED):
        urgent = [p for p in expansion_why if any(u.search(p) for u in _phrases().urgent)]
        return (f"The doctor's reply reassures ({', '.join(doctor_why[:3])}) but the More Info urges care "
                f"({', '.join(urgent[:3])}).")
    if doctor == Stance.URGENT and expansion == Stance.REASSURING:
        return (f"The doctor's reply urges care ({', '.join(doctor_why[:3])}) but the More Info reassures "
                f"({', '.join(expansion_why[:3])}).")
    return ""
