"""More Info: a patient-language expansion of a consult, written by the answer pipeline.

The (de-identified) question is answered by :meth:`AnswerService.answer_from_hits` for the patient
audience, on knowledge-base evidence retrieved for the question and for the doctor's reply
(consults themselves are left out: More Info rests on the sources, not on other consults). The
doctor's reply is never given to the composer as evidence: the page quotes it verbatim, apart,
so the AI text cannot put words in the doctor's mouth. When the result contradicts the reply
(:func:`curbside.consult.stance.contradiction`) it is held for an editor.
"""

from __future__ import annotations

from dataclasses import dataclass

from curbside.answer.service import MAX_QUESTION_CHARS, AnswerService
from curbside.consult.models import Consult, MoreInfoState
from curbside.consult.stance import contradiction
from curbside.domain import Answer, Audience, SearchFilters, SearchHit, SourceKind
from curbside.kb.service import KnowledgeBase

#: Evidence for More Info: every kind but consults.
EVIDENCE_KINDS = [kind for kind in SourceKind if kind != SourceKind.CONSULT]
_REPLY_QUERY_CHARS = 600


@dataclass(frozen=True)
class MoreInfo:
    answer: Answer
    state: MoreInfoState
    note: str = ""


def evidence_for(kb: KnowledgeBase, consult: Consult, k: int) -> list[SearchHit]:
    """Distinct passages for the question, then for the doctor's reply (no consult sources)."""
    filters = SearchFilters(kinds=EVIDENCE_KINDS)
    hits = kb.search(consult.question, k=k, filters=filters)
    reply = " ".join(r.text for r in consult.replies)[:_REPLY_QUERY_CHARS].strip()
    if reply:
        hits += kb.search(reply, k=max(2, k // 2), filters=filters)
    seen: set[str] = set()
    out: list[SearchHit] = []
    for hit in hits:
        if hit.passage.id not in seen:
            seen.add(hit.passage.id)
            out.append(hit.model_copy(update={"rank": len(out) + 1}))
    return out


def compose_more_info(answers: AnswerService, kb: KnowledgeBase, consult: Consult) -> MoreInfo:
    """The More Info for a consult, published or held (the reason in ``note``)."""
    hits = evidence_for(kb, consult, answers.settings.answer.evidence_k)
    # Masks can be longer than what they replace ("IL 62704" → "[ADDRESS]"): keep within the pipeline's bound.
    question = consult.question[:MAX_QUESTION_CHARS]
    answer = answers.answer_from_hits(question, hits, audience=Audience.PATIENT)
    # Checked even when the pipeline abstains: its urgent notice is part of what it says.
    note = contradiction("\n".join(r.text for r in consult.replies), answer)
    return MoreInfo(answer, MoreInfoState.HELD if note else MoreInfoState.PUBLISHED, note)
