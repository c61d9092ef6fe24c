"""Audience: who an answer is written for, its disclaimer, and how readable it came out.

Patient answers prefer patient-education sources (the service searches those first, then fills
up from everything), get plain-language sections from their plan, and report a readability grade.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from curbside.domain import Answer, Audience, SearchHit, SourceKind
from curbside.errors import InputError

#: Accepted names for an audience (``--audience caregiver`` reads as patient).
ALIASES: dict[str, Audience] = {
    "clinician": Audience.CLINICIAN, "professional": Audience.CLINICIAN, "doctor": Audience.CLINICIAN,
    "student": Audience.CLINICIAN, "patient": Audience.PATIENT, "caregiver": Audience.PATIENT,
    "public": Audience.PATIENT, "both": Audience.CLINICIAN,
}


class AudienceName(StrEnum):
    """The names of ``ALIASES`` (``curbside ask --audience``); kept equal to ALIASES."""

    CLINICIAN = "clinician"
    PATIENT = "patient"
    CAREGIVER = "caregiver"
    PROFESSIONAL = "professional"
    DOCTOR = "doctor"
    STUDENT = "student"
    PUBLIC = "public"
    BOTH = "both"

CLINICIAN_DISCLAIMER = (
    "For healthcare professionals. curbside assembled this summary automatically from the sources "
    "cited; unless it is marked as approved by the advisory board, no clinician has reviewed it. It "
    "supports clinical judgment and does not replace it: check each statement against the cited "
    "source and current guidelines before acting on it for a patient. The curbside project and its "
    "contributors accept no liability for decisions based on this content."
)

PATIENT_DISCLAIMER = (
    "This is general health information, not medical advice, and it cannot diagnose you. It was put "
    "together automatically from the sources listed and may not fit your situation. Talk with your "
    "doctor, nurse or pharmacist about your own health before you make any changes. If you think you "
    "or someone else may be having a medical emergency, call your local emergency number (such as "
    "911, 999 or 112) right away."
)


def parse_audience(value: str | Audience | None, default: str = "clinician") -> Audience:
    """An audience from a name (or the default); 'caregiver' and 'public' read as patient."""
    if isinstance(value, Audience):
        return Audience.PATIENT if value == Audience.PATIENT else Audience.CLINICIAN
    name = (value or default).strip().lower()
    if name not in ALIASES:
        raise InputError(f"Unknown audience {value!r}; use clinician or patient (caregiver reads as patient).")
    return ALIASES[name]


def disclaimer(audience: Audience) -> str:
    return PATIENT_DISCLAIMER if audience == Audience.PATIENT else CLINICIAN_DISCLAIMER


def prefer_patient_sources(primary: Sequence[SearchHit], everything: Sequence[SearchHit], k: int,
                           min_relevance: float) -> list[SearchHit]:
    """Patient-education hits that are relevant enough first, then the rest, k in all, renumbered."""
    chosen: list[SearchHit] = []
    seen: set[str] = set()

    def relevant(hit: SearchHit) -> bool:
        return hit.dense is None or hit.dense.score >= min_relevance

    first = [h for h in primary if h.source.kind == SourceKind.PATIENT_EDUCATION and relevant(h)]
    for hit in [*first, *everything, *primary]:
        if hit.passage.id in seen:
            continue
        seen.add(hit.passage.id)
        chosen.append(hit)
        if len(chosen) >= k:
            break
    return [h.model_copy(update={"rank": i + 1}) for i, h in enumerate(chosen)]


def answer_text(answer: Answer) -> str:
    """The prose of an answer (bottom line and every item), for readability scoring."""
    parts = [answer.bottom_line.text]

    def walk(items: Sequence[object]) -> None:
        for item in items:
            text = getattr(item, "text", "")
            parts.append(text if text.rstrip().endswith((".", "!", "?", ":")) else text + ".")
            walk(getattr(item, "children", []))

    for section in answer.sections:
        walk(section.items)
    return " ".join(p for p in parts if p.strip())


#: The readability formula reported in ``provenance.readability_grade`` (a US school grade level).
READABILITY_METRIC = "coleman_liau_index"


def readability_grade(text: str) -> float | None:
    """US grade level of the text by the Coleman–Liau index (textstat); None for too little text.

    Coleman–Liau counts letters, words and sentences only, so it needs no pronunciation
    dictionary (textstat's Flesch–Kincaid would download NLTK's CMUdict on first use, which an
    offline installation cannot).
    """
    if len(text.split()) < 20:
        return None
    import textstat

    return round(float(textstat.coleman_liau_index(text)), 1)
