"""The shape of every ``plans/*.toml`` file, checked when it is read (:func:`curbside.rules.load_rules`).

A key these models do not declare is refused, naming the file and the key. Optional keys have the
defaults their readers use; the readers (``plans.py``, ``analysis.py``, ``safety.py``,
``select/segments.py``, ``select/units.py``, ``select/ontopic.py``) see only the keys a file sets.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field

from curbside.domain import InfoType
from curbside.rules import RuleModel


class Patterns(RuleModel):
    patterns: list[str]


# --- sections.toml and the plans per intent ----------------------------------------------------


class SectionRules(RuleModel):
    """One section of the library (``[overview]`` in sections.toml)."""

    heading: str
    style: str = "bullets"
    kind: str = "text"
    cues: list[str] = Field(default_factory=list)
    headings: list[str] = Field(default_factory=list)
    require: str = "either"
    min_items: int = 1
    max_items: int = 5
    fallback_heading: str = ""
    focus: int | None = None
    exclude: list[str] = Field(default_factory=list)
    effects: bool = True


class SectionsFile(RuleModel):
    """sections.toml: ``[heading_types]``, ``[heading_groups]`` and every other table a section of the library."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, SectionRules]

    heading_groups: dict[str, list[str]] = Field(default_factory=dict)
    heading_types: dict[str, list[InfoType]] = Field(default_factory=dict)


class SectionUse(SectionRules):
    """A section a plan uses: ``"overview"``, or a table ``{use = "overview", max_items = 3}``."""

    use: str
    heading: str = ""  # from the library unless given


def _named(entry: Any) -> Any:
    return {"use": entry} if isinstance(entry, str) else entry


class AudiencePlanRules(RuleModel):
    title: str
    bottom_line_types: list[InfoType] = Field(default_factory=list)
    bottom_line_headings: list[str] = Field(default_factory=list)
    bottom_line_definition: bool = False
    bottom_line_enumeration: bool = False
    sections: list[Annotated[SectionUse, BeforeValidator(_named)]] = Field(default_factory=list)


class PlanFile(RuleModel):
    """``<intent>.toml``: how the question is phrased, its follow-ups and a plan per audience."""

    intent: str = ""  # the intent the file is named for (not read: the file name decides)
    question: str = "What should I know about {topic}?"
    follow_ups: list[str] = Field(default_factory=list)
    clinician: AudiencePlanRules | None = None
    patient: AudiencePlanRules | None = None


# --- analysis.toml --------------------------------------------------------------------------------


class IntentRule(RuleModel):
    name: str
    patterns: list[str] = Field(default_factory=list)  # only the plans the type classifier has no type for
    topic: list[str] = Field(default_factory=list)


class Followup(RuleModel):
    patterns: list[str]
    pronouns: list[str]


class TopicRules(RuleModel):
    strip_leading: list[str]
    strip_trailing: list[str]


class Population(RuleModel):
    name: str
    patterns: list[str]


class Anatomy(RuleModel):
    name: str
    words: list[str]
    region: list[str]


class AnatomyModifiers(RuleModel):
    laterality: list[str] = Field(default_factory=list)
    position: list[str] = Field(default_factory=list)
    tissue: list[str] = Field(default_factory=list)


class Concepts(RuleModel):
    share: float
    min_similarity: float
    min_similarity_bottom: float
    continues: list[str]
    replies: list[str]
    generic: list[str]
    background: list[str]
    qualifiers: list[str]
    heads: list[str]
    someone_else: list[str]
    someone_else_asked: list[str]
    for_the_page: list[str]
    complaints: list[str]
    variants: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    filler_pairs: list[str]
    fillers: list[str]


class AskRules(RuleModel):
    """What a question of one type asks of the answer (``[ask.dosage]`` in analysis.toml)."""

    title: str = ""
    words: list[str] = Field(default_factory=list)
    off_sections: list[str] = Field(default_factory=list)
    effects: bool = True


class AnalysisFile(RuleModel):
    intent: list[IntentRule]
    followup: Followup
    topic: TopicRules
    population: list[Population]
    finding: Patterns
    anatomy: list[Anatomy]
    anatomy_modifiers: AnatomyModifiers = AnatomyModifiers()
    test: Patterns
    drug: Patterns
    expansion: dict[str, str] = Field(default_factory=dict)
    concepts: Concepts
    ask: dict[InfoType, AskRules] = Field(default_factory=dict)


# --- composer.toml --------------------------------------------------------------------------------


class Sentences(RuleModel):
    min_words: int
    item_min_words: int
    max_words: int
    dangling: list[str]
    dangling_phrases: list[str] = Field(default_factory=list)
    navigation: list[str]
    pointing: list[str] = Field(default_factory=list)
    trim_leading: str


class Glue(RuleModel):
    starters: list[str]
    headings: list[str]
    small: list[str]


class Algorithm(RuleModel):
    openers: list[str]
    inline: list[str]
    actions: list[str]
    max_condition_words: int


class Definitions(RuleModel):
    pattern: str
    max_words: int = 35


class BottomLine(RuleModel):
    general: list[str]
    continuation: list[str]


class ComposerFile(RuleModel):
    sentences: Sentences
    glue: Glue
    algorithm: Algorithm
    definitions: Definitions
    bottom_line: BottomLine


# --- safety.toml ----------------------------------------------------------------------------------


class RedFlagRules(RuleModel):
    name: str
    patterns: list[str]
    requires: list[str] = Field(default_factory=list)
    clinician: str
    patient: str


class MedicationRules(RuleModel):
    patterns: list[str]
    patient: str


class SafetyFile(RuleModel):
    red_flag: list[RedFlagRules]
    medication: MedicationRules


_FILES: dict[str, type[RuleModel]] = {"sections": SectionsFile, "analysis": AnalysisFile,
                                      "composer": ComposerFile, "safety": SafetyFile}


def model_for(name: str) -> type[RuleModel]:
    """The model of ``plans/<name>.toml``: a named file's, else a plan per intent's."""
    return _FILES.get(name, PlanFile)
