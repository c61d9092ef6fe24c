"""Suggested follow-up questions about the same subject.

An answer from sections about its subject (``compose/typed.py``) offers what those sources' other
sections answer (:func:`suggest_typed`): the questions the knowledge base can answer next. Other
answers offer the plan's other intents, asked about the same topic (:func:`suggest`); a follow-up
the evidence already speaks to (a passage headed "What causes …?" for a causes follow-up) first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from curbside.answer.base import Evidence, QuestionAnalysis
from curbside.answer.understand.plans import heading_matches, plan_for, question_template
from curbside.answer.understand.question import Question
from curbside.domain import InfoType, Intent, SourceKind

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
    passages = [(list(e.hit.passage.headings), e.hit.passage.section_type) for e in evidence]
    covered: list[str] = []
    other: list[str] = []
    for intent in plan.follow_ups:
        if intent == analysis.intent:
            continue
        question = question_template(intent).format(topic=topic)
        question = question[:1].upper() + question[1:]
        groups = _INTENT_HEADINGS.get(intent, ())
        (covered if any(heading_matches(groups, h, t) for h, t in passages) else other).append(question)
    return (covered + other)[:limit]


#: A follow-up question for each section type a source about the subject has.
_TYPED_QUESTIONS: dict[InfoType, str] = {
    InfoType.INFORMATION: "What is {x}?", InfoType.SYMPTOMS: "What are the symptoms of {x}?",
    InfoType.CAUSES: "What causes {x}?", InfoType.TREATMENT: "How is {x} treated?",
    InfoType.DIAGNOSIS: "How is {x} diagnosed?", InfoType.PREVENTION: "How can {x} be prevented?",
    InfoType.OUTLOOK: "What is the outlook for {x}?", InfoType.COMPLICATIONS: "What are the complications of {x}?",
    InfoType.SUSCEPTIBILITY: "Who is at risk of {x}?", InfoType.INHERITANCE: "Is {x} inherited?",
    InfoType.USAGE: "What is {x} used for?", InfoType.SIDE_EFFECTS: "What are the side effects of {x}?",
    InfoType.DOSAGE: "How should {x} be taken?", InfoType.CONTRAINDICATIONS: "Who should not take {x}?",
    InfoType.INTERACTIONS: "What interacts with {x}?", InfoType.PREGNANCY: "Can {x} be taken during pregnancy or breastfeeding?",
    InfoType.WARNINGS: "What are the warnings for {x}?", InfoType.STORAGE: "How should {x} be stored?",
}
#: The order follow-ups are offered in: a medicine's (it has a drug label) and a condition's.
_MEDICINE_ORDER = (InfoType.USAGE, InfoType.SIDE_EFFECTS, InfoType.DOSAGE, InfoType.CONTRAINDICATIONS,
                   InfoType.INTERACTIONS, InfoType.PREGNANCY, InfoType.WARNINGS, InfoType.STORAGE)
_CONDITION_ORDER = (InfoType.INFORMATION, InfoType.SYMPTOMS, InfoType.CAUSES, InfoType.TREATMENT, InfoType.DIAGNOSIS,
                    InfoType.PREVENTION, InfoType.OUTLOOK, InfoType.COMPLICATIONS, InfoType.SUSCEPTIBILITY,
                    InfoType.INHERITANCE)


def suggest_typed(question: Question, sections: Mapping[str, set[InfoType]], kinds: Mapping[str, str], *,
                  limit: int = 4) -> list[str]:
    """Up to ``limit`` follow-ups about the question's subject that the knowledge base can answer: one
    for each section type its sources about the subject have (``sections``: source id → types), other
    than what was asked — a medicine's use, side effects, dose …; a condition's symptoms, causes,
    treatment … Named as the question names the subject. Empty when the subject is not known."""
    focus = question.focus
    if focus is None or not sections:
        return []
    have = set().union(*sections.values())
    medicine = any(kinds.get(sid) == SourceKind.DRUG_LABEL.value for sid in sections)
    order = _MEDICINE_ORDER if medicine else _CONDITION_ORDER
    name = _as_said(question.text, focus.name)
    return [_TYPED_QUESTIONS[t].format(x=name) for t in order
            if t in have and t not in question.asked][:limit]


def _as_said(text: str, name: str) -> str:
    """``name`` as the question writes it ("Lipitor", "COPD"), else as the knowledge base keys it."""
    spelled = r"[\s-]+".join(re.escape(word) for word in name.split())
    match = re.search(rf"(?<![\w-]){spelled}(?![\w-])", text, re.IGNORECASE)
    return match.group(0) if match else name
