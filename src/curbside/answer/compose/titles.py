"""An article's title: the topic and what is asked of it, as the seeds title theirs.

The analysis titles a question by its intent ("Treating Gout", "What Causes Diabetes",
"Sciatica: The Basics"). A general question whose topic is the whole question ("Is Gluten Sensitivity
Real") or a long clause is titled by its concepts instead, and when its ask says what is wanted
(``title`` of an ``[[ask]]`` in plans/analysis.toml) by that: "Coffee: What the Evidence Says" for
"Is coffee bad for you?", "Added Sugar: How Much" for "How much added sugar is too much?".
"""

from __future__ import annotations

from curbside.answer.base import QuestionAnalysis
from curbside.answer.select.ontopic import Concepts
from curbside.answer.understand.analysis import title_case, title_for
from curbside.domain import Intent


def answer_title(analysis: QuestionAnalysis, concepts: Concepts) -> str:
    """The title of the answer to ``analysis`` (whose concepts and ask are ``concepts``)."""
    topic = analysis.topic
    whole = topic.rstrip(" ?.!").lower() == analysis.question.rstrip(" ?.!").lower()
    short = len(topic.split()) <= 4 and not whole
    named = "" if not concepts.terms or short else concepts.phrase(analysis.question)
    ask = concepts.ask
    if analysis.intent == Intent.GENERAL and ask is not None and ask.title:
        subject = concepts.phrase(analysis.question) or topic  # "the prednisone for" → "prednisone"
        if subject:
            return ask.title.format(topic=title_case(subject))
    return title_for(analysis.intent, analysis.audience, named) if named else analysis.title
