"""An article's title: the topic and what is asked of it, as the seeds title theirs.

The analysis titles a question by its intent ("Treating Gout", "What Causes Diabetes", "Sciatica:
The Basics"). A question whose topic is the whole question ("Is Gluten Sensitivity Real") or a long
clause is titled by its concepts instead. A general or medication question whose ask says what is
wanted (the ``title`` of an ``[[ask]]`` in plans/analysis.toml) is titled by that: "Coffee: What the
Evidence Says" for "Is coffee bad for you?", "Added Sugar: How Much" for "How much added sugar is too
much?". Both composers use it.
"""

from __future__ import annotations

import re

from curbside.answer.base import QuestionAnalysis
from curbside.answer.select.ontopic import Concepts
from curbside.answer.understand.analysis import title_case, title_for
from curbside.domain import Intent


def answer_title(analysis: QuestionAnalysis, concepts: Concepts) -> str:
    """The title of the answer to ``analysis`` (whose concepts and ask are ``concepts``)."""
    topic = analysis.topic
    whole = topic.rstrip(" ?.!").lower() == analysis.question.rstrip(" ?.!").lower()
    # a topic that is a clause of the question ("people to have such severe anxiety is it a mind over
    # matter thing") is named by its concepts; a noun phrase ("non-specific calcifications in the soft
    # tissue of the inferior right calf") is kept as the question says it
    clause = whole or (len(topic.split()) > 4 and _CLAUSE.search(topic) is not None)
    named = concepts.phrase(analysis.question) if concepts.terms and clause else ""
    ask = concepts.ask
    relief_only = ask is None or ask.name != "treatment" or concepts.only_complaints  # not "Bananas and Diarrhea"
    if analysis.intent in (Intent.GENERAL, Intent.MEDICATION) and ask is not None and ask.title and relief_only:
        # the words that ask are the title's second half: "How should Abacavir be used and what is
        # the dosage?" is "Abacavir: How Much", not "Abacavir and Dosage: How Much"
        masked = analysis.question
        for pattern in ask.question:
            masked = pattern.sub(lambda m: " " * len(m.group(0)), masked)
        subject = concepts.phrase(masked) or concepts.phrase(analysis.question) or topic
        if subject:
            return ask.title.format(topic=title_case(subject))
    return title_for(analysis.intent, analysis.audience, named) if named else analysis.title


_CLAUSE = re.compile(r"\b(?:is|are|was|were|do|does|did|can|could|should|would|will|i|im|i'm|my|me|you|your|it|"
                     r"its|this|that|have|has|had|get|got)\b", re.IGNORECASE)
