"""An article's title: the topic and what is asked of it, as the seeds title theirs.

The analysis titles a question by its intent ("Treating Gout", "What Causes Gout", "Sciatica:
The Basics"). A question whose topic is the whole question ("Is Red Meat Safe") or a long
clause is titled by its concepts instead. A question of a type whose ask says what is wanted (the ``title`` of
its ``[ask.*]`` in plans/analysis.toml) is titled by that: "Turmeric: How to Take It"
for "How much turmeric is too much?". Both composers use it.
"""

from __future__ import annotations

import re

from curbside.answer.base import QuestionAnalysis
from curbside.answer.select.ontopic import Concepts
from curbside.answer.understand.analysis import INTENT_OF, title_case, title_for
from curbside.answer.understand.question import Question
from curbside.domain import InfoType, Intent
from curbside.kb.infotypes import MEDICINE_TYPES
from curbside.kb.synonyms import Focus, FocusIndex


def answer_title(analysis: QuestionAnalysis, concepts: Concepts) -> str:
    """The title of the answer to ``analysis`` (whose concepts and ask are ``concepts``)."""
    topic = analysis.topic
    whole = topic.rstrip(" ?.!").lower() == analysis.question.rstrip(" ?.!").lower()
    # a topic that is a clause of the question ("some people sneeze so much every spring, is it only
    # the pollen") is named by its concepts; a noun phrase ("non-specific calcifications in the soft
    # tissue of the inferior right calf") is kept as the question says it
    clause = whole or (len(topic.split()) > 4 and _CLAUSE.search(topic) is not None)
    named = concepts.phrase(analysis.question) if concepts.terms and clause else ""
    if analysis.title.startswith("How to "):  # "How to Stop Trazodone": the analysis said what is to be done
        return analysis.title
    ask = concepts.ask
    relief_only = ask is None or ask.name != "treatment" or concepts.only_complaints  # not "Bananas and Diarrhea"
    if ask is not None and ask.title and relief_only:
        # the words that ask are the title's second half: "How should Abacavir be used and what is
        # the dosage?" is "Abacavir: How to Take It", not "Abacavir and Dosage: How to Take It"
        masked = " ".join(w for w in analysis.question.split() if w.lower().strip("?.,!;:") not in ask.words)
        subject = concepts.phrase(masked) or concepts.phrase(analysis.question) or topic
        if subject:
            return ask.title.format(topic=title_case(subject))
    return title_for(analysis.intent, analysis.audience, named) if named else analysis.title


_CLAUSE = re.compile(r"\b(?:is|are|was|were|do|does|did|can|could|should|would|will|i|im|i'm|my|me|you|your|it|"
                     r"its|this|that|have|has|had|get|got)\b", re.IGNORECASE)


def subject_name(question: Question) -> str:
    """The question's subject as the knowledge base writes it ("HIV/AIDS", "Fibromyalgia"), title-cased
    when its source writes it in lower case; the narrower kind when the question names one."""
    if question.narrower:
        return title_case(question.narrower)
    return focus_name(question.focus) if question.focus is not None else ""


def focus_name(focus: Focus) -> str:
    """A linked subject as the knowledge base writes it ("HIV/AIDS"), title-cased when written in lower case."""
    same = [n for n in focus.names if FocusIndex.names_in([n], focus.name) and FocusIndex.names_in([focus.name], n)]
    name = min(same, key=lambda n: (len(n), n)) if same else focus.name  # one way, whatever the order of names
    return title_case(name) if name.islower() else name


#: The plan (and so the seeds' title style) of a section type that has one: "Treating Gout" for
#: patients, "Management of Gout" for clinicians, "Sciatica: The Basics".
#: The analysis's own mapping (``INTENT_OF``), for the types whose plan title names them.
_PLAN_OF = {**{t: INTENT_OF[t] for t in (InfoType.TREATMENT, InfoType.CAUSES, InfoType.SYMPTOMS, InfoType.DIAGNOSIS,
                                         InfoType.PREVENTION, InfoType.OUTLOOK, InfoType.COMPARISON)},
            InfoType.INFORMATION: Intent.GENERAL}


def typed_title(question: Question, asked: InfoType, heading: str, *, partial: bool = False,
                intent: Intent | None = None) -> str:
    """The title of an answer about the question's subject from the sections of type ``asked`` (headed
    ``heading``), or of a partial answer ("Cold Sores: What the Sources Say"); empty without a subject
    or for a type that has neither a plan nor a medicine section (the analysis titles those)."""
    subject = subject_name(question)
    if not subject:
        return ""
    if partial:
        return f"{subject}: What the Sources Say"
    if asked in _PLAN_OF:
        plan = _PLAN_OF[asked]
        if plan == Intent.MANAGEMENT and intent == Intent.INITIAL_MANAGEMENT:  # "Initial Management of Gout"
            plan = intent
        return title_for(plan, question.audience, subject)
    if asked in MEDICINE_TYPES:  # "Dexamethasone: Side Effects"
        return f"{subject}: {heading}"
    return ""  # the analysis's title ("Initial Management of …") says more than a section's name
