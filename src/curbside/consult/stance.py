"""Whether a text reassures or urges, and whether More Info contradicts the doctor's reply.

The phrase lists and the reason for them are data (``data/stance.toml``). A phrase preceded by a
negation within the same clause ("not urgent", "no need to go to the emergency room") does not
count (only the four words before the phrase are looked at).

On treatment, a text says which treatments it recommends and which it advises against
(:func:`treatment_stances`): frames with a slot for the treatment's name ("avoid {X}", "take {X}",
"{X} is recommended", "{X} does not help"), turned round by a negation within their scope (the clause
before a verb-first frame, the negation inside a name-first one). Advice against a treatment that
goes on with a condition ("do not take {X} on an empty stomach") or a quantity ("no more {X}") is not
advice against it as such. A More Info that recommends a treatment the reply advises against, or the
reverse, contradicts the reply; names are compared by their words, and a text that says both about
the same treatment takes no side on it. The check is deliberately simple and conservative: it only holds a More Info for an editor,
who decides; it never changes what is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from curbside.domain import Answer
from curbside.errors import ConfigError
from curbside.rules import RuleModel, load_rules, rule_file

_NEGATION_WINDOW = 4  # words before a phrase, within its clause, where a negation cancels it
_CLAUSE = re.compile(r"[.;:!?\n]|\bbut\b|\bhowever\b", re.IGNORECASE)


class Stance(StrEnum):
    REASSURING = "reassuring"
    URGENT = "urgent"
    MIXED = "mixed"
    NEUTRAL = "neutral"


class _TreatmentRules(RuleModel):
    for_verb_first: list[str]
    for_name_first: list[str]
    against_verb_first: list[str]
    against_name_first: list[str]
    conditions: list[str]
    negations: list[str]
    boundaries: list[str]
    quantities: list[str]
    generic: list[str]


class StanceFile(RuleModel):
    """The shape of ``data/stance.toml`` (an unknown key is an error naming it)."""

    reassuring: list[str]
    urgent: list[str]
    negations: list[str]
    treatment: _TreatmentRules


@dataclass(frozen=True)
class _Frames:
    """Treatment frames (``[treatment]`` in stance.toml): (pattern, says "for" when not negated, name first)."""

    frames: tuple[tuple[re.Pattern[str], bool, bool], ...]
    negations: tuple[re.Pattern[str], ...]
    conditions: frozenset[str]
    quantities: frozenset[str]
    generic: frozenset[str]


@dataclass(frozen=True)
class _Phrases:
    reassuring: tuple[re.Pattern[str], ...]
    urgent: tuple[re.Pattern[str], ...]
    negations: tuple[re.Pattern[str], ...]
    treatment: _Frames


def _compile(patterns: list[str], where: str) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    except re.error as exc:
        raise ConfigError(f"A pattern in stance.toml:{where} is broken: {exc}") from exc


@cache
def _phrases() -> _Phrases:
    data = load_rules(StanceFile, rule_file("curbside.consult", "data", "stance.toml"))
    return _Phrases(_compile(data.reassuring, "reassuring"), _compile(data.urgent, "urgent"),
                    _compile(data.negations, "negations"), _frames(data.treatment))


def _frames(data: _TreatmentRules) -> _Frames:
    # A treatment's name: up to four words that are neither a condition nor a boundary, within a clause.
    ends = "|".join(re.escape(w) for w in sorted({*data.conditions, *data.boundaries}, key=len, reverse=True))
    word = rf"(?!(?:{ends})(?![\w'-]))[A-Za-z][\w'-]*"
    after = rf"(?P<x>{word}(?:\s+{word}){{0,3}})"
    before = rf"(?P<x>(?:{word}\s+){{0,3}}{word})"
    frames: list[tuple[re.Pattern[str], bool, bool]] = []
    for key, patterns, says_for, name_first in (
            ("against_verb_first", data.against_verb_first, False, False),
            ("against_name_first", data.against_name_first, False, True),
            ("for_verb_first", data.for_verb_first, True, False), ("for_name_first", data.for_name_first, True, True)):
        filled = [p.replace("{X}", before if name_first else after) for p in patterns]
        frames += [(pattern, says_for, name_first) for pattern in _compile(filled, f"treatment.{key}")]
    return _Frames(tuple(frames), _compile(data.negations, "treatment.negations"), frozenset(data.conditions),
                   frozenset(data.quantities), frozenset(data.generic))


def _negated_before(text: str, start: int, negations: tuple[re.Pattern[str], ...] | None = None) -> bool:
    """Whether a negation stands in the four words before ``start``, within its clause."""
    clause_start = max((m.end() for m in _CLAUSE.finditer(text, 0, start)), default=0)
    before = " ".join(text[clause_start:start].split()[-_NEGATION_WINDOW:])
    return any(n.search(before) for n in (negations or _phrases().negations))


def _hits(text: str, patterns: tuple[re.Pattern[str], ...]) -> list[str]:
    found = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            if _negated_before(text, match.start()):
                continue
            found.append(match.group(0))
    return found


@dataclass(frozen=True)
class TreatmentStance:
    """What a text says of one treatment: recommended or used (``advised``), or advised against."""

    name: str  # as written
    words: frozenset[str]  # the words it is compared by
    advised: bool
    phrase: str


_WORD = re.compile(r"[a-z][a-z'-]*")


def _name_words(name: str, generic: frozenset[str]) -> frozenset[str]:
    words = set()
    for word in _WORD.findall(name.lower()):
        if len(word) < 3 or word in generic:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "is", "us")):
            word = word[:-1]  # "antibiotics" and "antibiotic" are one name
        if word not in generic:
            words.add(word)
    return frozenset(words)


def treatment_stances(text: str) -> list[TreatmentStance]:
    """Every treatment ``text`` recommends or advises against, in the order found."""
    frames = _phrases().treatment
    found: list[TreatmentStance] = []
    taken: list[tuple[int, int]] = []  # names already read (an "against" frame wins over the "take" inside it)
    for pattern, says_for, name_first in frames.frames:
        for match in pattern.finditer(text):
            start, end = match.span("x")
            words = match.group("x").split()
            if any(s <= start < e or start <= s < end for s, e in taken):
                continue
            negated = bool(match.groupdict().get("neg")) if name_first else _negated_before(text, match.start(), frames.negations)
            advised = says_for != negated
            if not advised and (words[0].lower() in frames.quantities
                                or (not name_first and _continues_with_condition(text, end, frames.conditions))):
                taken.append((start, end))  # read, and not as advice for it either
                continue  # advice against it in some case or amount only
            name = " ".join(words).strip(" ,")
            keys = _name_words(name, frames.generic)
            if keys:
                taken.append((start, end))
                found.append(TreatmentStance(name, keys, advised, match.group(0).strip()))
    return found


def _continues_with_condition(text: str, end: int, conditions: frozenset[str]) -> bool:
    following = _WORD.match(text[end:].lstrip().lower())
    return following is not None and following.group(0) in conditions


def _sides(stances: list[TreatmentStance]) -> dict[str, TreatmentStance]:
    """Each name word → the one stance a text takes on it (words it says both of are left out)."""
    by_word: dict[str, list[TreatmentStance]] = {}
    for stance in stances:
        for word in stance.words:
            by_word.setdefault(word, []).append(stance)
    return {w: ss[0] for w, ss in by_word.items() if len({s.advised for s in ss}) == 1}


def treatment_contradiction(reply: str, more_info_text: str) -> str:
    """Why ``more_info_text`` recommends a treatment the reply advises against (or the reverse), or ''."""
    doctor = _sides(treatment_stances(reply))
    expansion = _sides(treatment_stances(more_info_text))
    for word, said in doctor.items():
        other = expansion.get(word)
        if other is None or other.advised == said.advised:
            continue
        if said.advised:
            return (f"The doctor's reply recommends {said.name} (“{said.phrase}”) but the More Info advises "
                    f"against it (“{other.phrase}”).")
        return (f"The doctor's reply advises against {said.name} (“{said.phrase}”) but the More Info "
                f"recommends it (“{other.phrase}”).")
    return ""


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
    text = answer_text(more_info)
    treatment = treatment_contradiction(reply, text)
    if treatment:
        return treatment
    doctor, doctor_why = stance_of(reply)
    expansion, expansion_why = stance_of(text)
    if doctor == Stance.REASSURING and expansion in (Stance.URGENT, Stance.MIXED):
        urgent = [p for p in expansion_why if any(u.search(p) for u in _phrases().urgent)]
        return (f"The doctor's reply reassures ({', '.join(doctor_why[:3])}) but the More Info urges care "
                f"({', '.join(urgent[:3])}).")
    if doctor == Stance.URGENT and expansion == Stance.REASSURING:
        return (f"The doctor's reply urges care ({', '.join(doctor_why[:3])}) but the More Info reassures "
                f"({', '.join(expansion_why[:3])}).")
    return ""
