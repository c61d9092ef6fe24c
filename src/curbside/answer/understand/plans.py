"""Section plans per intent and audience, declared as data in ``answer/understand/plans/*.toml``.

``sections.toml`` is the library of sections (heading, list style, what evidence fits, item
bounds); each ``<intent>.toml`` lists, per audience, the title template, what the bottom line should
look like and the sections in order. Plans are read once and cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from curbside.answer.understand.plan_files import model_for
from curbside.domain import Audience, InfoType, Intent
from curbside.errors import ConfigError
from curbside.rules import load_rules, rule_file

_STYLES = ("bullets", "numbered", "algorithm")
_KINDS = ("text", "algorithm", "definitions")
_REQUIRE = ("cue", "heading", "either", "none")


@cache
def load_data(name: str) -> dict[str, Any]:
    """One TOML file from ``curbside/answer/understand/plans``, checked against its shape
    (``plan_files.py``: an unknown key is an error naming the file and the key); only the keys the
    file sets (cached)."""
    file = rule_file("curbside.answer.understand", "plans", f"{name}.toml")
    return load_rules(model_for(name), file).model_dump(exclude_unset=True)


def compile_all(patterns: list[str], where: str) -> tuple[re.Pattern[str], ...]:
    """Compile case-insensitive patterns, naming the file and key when one is broken."""
    out = []
    for pattern in patterns:
        try:
            out.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise ConfigError(f"Bad pattern {pattern!r} in {where}: {exc}") from exc
    return tuple(out)


@dataclass(frozen=True)
class SectionSpec:
    """One planned section: how it is headed and laid out, and which evidence fits it."""

    key: str
    heading: str
    style: str = "bullets"
    kind: str = "text"
    cues: tuple[re.Pattern[str], ...] = ()
    headings: tuple[str, ...] = ()
    require: str = "either"
    min_items: int = 1
    max_items: int = 5
    fallback_heading: str = ""
    focus: int | None = None
    exclude: tuple[re.Pattern[str], ...] = ()  # a sentence saying one of these belongs elsewhere
    effects: bool = True  # may hold what the subject causes ("Sjögren syndrome may cause dryness")

    def heading_for(self, values: dict[str, str]) -> str:
        """The heading with ``{subject}``/``{compared_0}`` … filled in (or the fallback)."""
        names = re.findall(r"{(\w+)}", self.heading)
        if any(not values.get(n) for n in names):
            return self.fallback_heading or re.sub(r"\s*{\w+}\s*", " ", self.heading).strip()
        return self.heading.format(**{n: values[n] for n in names})


@dataclass(frozen=True)
class AudiencePlan:
    intent: Intent
    audience: Audience
    title: str
    bottom_line_types: tuple[InfoType, ...]  # what a bottom line of this plan gives (the type classifier's reading)
    bottom_line_headings: tuple[str, ...]
    sections: tuple[SectionSpec, ...]
    question: str
    follow_ups: tuple[Intent, ...] = field(default_factory=tuple)
    bottom_line_definition: bool = False  # the bottom line should define the subject ("X is …")
    bottom_line_enumeration: bool = False  # … or list them ("Symptoms may include a, b, c …")


def _section(key: str, raw: dict[str, Any], where: str) -> SectionSpec:
    style = str(raw.get("style", "bullets"))
    kind = str(raw.get("kind", "text"))
    require = str(raw.get("require", "either"))
    if style not in _STYLES or kind not in _KINDS or require not in _REQUIRE:
        raise ConfigError(f"Section {key!r} in {where}: style/kind/require must be one of "
                          f"{_STYLES}/{_KINDS}/{_REQUIRE}.")
    groups = heading_groups().keys() | heading_types().keys()
    unknown = [g for g in raw.get("headings", []) if g not in groups]
    if unknown:
        raise ConfigError(f"Section {key!r} in {where} names unknown heading groups {unknown}.")
    focus = raw.get("focus")
    return SectionSpec(
        key=key, heading=str(raw["heading"]), style=style, kind=kind,
        cues=compile_all(list(raw.get("cues", [])), f"{where}:{key}"),
        headings=tuple(raw.get("headings", [])), require=require,
        min_items=int(raw.get("min_items", 1)), max_items=int(raw.get("max_items", 5)),
        fallback_heading=str(raw.get("fallback_heading", "")),
        focus=int(focus) if focus is not None else None,
        exclude=compile_all(list(raw.get("exclude", [])), f"{where}:{key}.exclude"),
        effects=bool(raw.get("effects", True)),
    )


@cache
def heading_groups() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Named groups of the labels of passages without a section type (``[heading_groups]`` in sections.toml)."""
    raw = load_data("sections").get("heading_groups", {})
    return {name: compile_all(list(patterns), f"sections.toml:heading_groups.{name}")
            for name, patterns in raw.items()}


@cache
def heading_types() -> dict[str, frozenset[InfoType]]:
    """Named groups of section types (``[heading_types]`` in sections.toml)."""
    raw = load_data("sections").get("heading_types", {})
    return {name: frozenset(InfoType(t) for t in types) for name, types in raw.items()}


@cache
def section_library() -> dict[str, dict[str, Any]]:
    return {k: v for k, v in load_data("sections").items() if k not in ("heading_groups", "heading_types")}


@cache
def plan_for(intent: Intent, audience: Audience) -> AudiencePlan:
    """The plan for an intent and audience ('both' reads as clinician)."""
    data = load_data(intent.value)
    side = "patient" if audience == Audience.PATIENT else "clinician"
    where = f"{intent.value}.toml"
    if side not in data:
        raise ConfigError(f"{where} has no [{side}] plan.")
    raw = data[side]
    library = section_library()
    sections = []
    for entry in raw.get("sections", []):
        key, overrides = (entry, {}) if isinstance(entry, str) else (entry["use"], entry)
        if key not in library:
            raise ConfigError(f"{where} uses unknown section {key!r}; define it in sections.toml.")
        merged = {**library[key], **{k: v for k, v in overrides.items() if k != "use"}}
        sections.append(_section(key, merged, where))
    return AudiencePlan(
        intent=intent, audience=Audience.PATIENT if side == "patient" else Audience.CLINICIAN,
        title=str(raw["title"]),
        bottom_line_types=tuple(InfoType(t) for t in raw.get("bottom_line_types", [])),
        bottom_line_headings=tuple(raw.get("bottom_line_headings", [])),
        sections=tuple(sections), question=str(data.get("question", "What should I know about {topic}?")),
        follow_ups=tuple(Intent(i) for i in data.get("follow_ups", [])),
        bottom_line_definition=bool(raw.get("bottom_line_definition", False)),
        bottom_line_enumeration=bool(raw.get("bottom_line_enumeration", False)),
    )


def question_template(intent: Intent) -> str:
    """How a question of this intent is phrased, e.g. "What causes {topic}?"."""
    return str(load_data(intent.value).get("question", "What should I know about {topic}?"))


def heading_matches(groups: tuple[str, ...], headings: list[str], section_type: InfoType | None = None) -> bool:
    """Whether a passage belongs to one of the named groups: by its section type (``[heading_types]``), or, for
    the groups of untyped labels (``[heading_groups]``), by one of its headings."""
    types = heading_types()
    table = heading_groups()
    for name in groups:
        if section_type is not None and section_type in types.get(name, ()):
            return True
        if any(pattern.search(h) for pattern in table.get(name, ()) for h in headings):
            return True
    return False
