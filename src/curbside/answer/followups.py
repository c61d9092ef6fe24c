"""Suggested follow-up questions: the plan's other intents, asked about the same topic.

A follow-up the evidence already speaks to (a passage headed "What causes …?" for a causes
follow-up) is suggested first.
"""

from __future__ import annotations

from collections.abc import Sequence

from curbside.answer.base import Evidence, QuestionAnalysis
from curbside.answer.understand.plans import heading_matches, plan_for, question_template
from curbside.domain import Intent

#: Heading groups (sections.toml) that show the evidence covers a follow-up intent.
_INTENT_HEADINGS: dict[Intent, tuple[str, ...]] = {
    Intent.MANAGEMENT: ("treatment",), Intent.INITIAL_MANAGEMENT: ("treatment", "diagnosis"),
    Intent.CAUSES: ("causes",), Intent.DIAGNOSIS: ("diagnosis",), Intent.SYMPTOMS: ("symptoms",),
    Intent.PROGNOSIS: ("prognosis",), Intent.PREVENTION: ("prevention",), Intent.MEANING: ("information",),
    Intent.GENERAL: ("information",),
}


def suggest(analysis: QuestionAnalysis, evidence: Sequence[Evidence], *, limit: int = 4) -> list[str]:
    """Up to ``limit`` follow-up questions about the same topic, other intents than this one."""
    topic = analysis.topic.strip()
    if not topic:
        return []
    plan = plan_for(analysis.intent, analysis.audience)
    headings = [list(e.hit.passage.headings) for e in evidence]
    covered: list[str] = []
    other: list[str] = []
    for intent in plan.follow_ups:
        if intent == analysis.intent:
            continue
        question = question_template(intent).format(topic=topic)
        question = question[:1].upper() + question[1:]
        groups = _INTENT_HEADINGS.get(intent, ())
        (covered if any(heading_matches(groups, h) for h in headings) else other).append(question)
    return (covered + other)[:limit]
