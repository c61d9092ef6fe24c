"""Drug-label sections in curbside's one taxonomy (:class:`curbside.domain.InfoType`).

One table, read two ways: by LOINC section code (FDA Structured Product Labeling, read by
:mod:`curbside.ingest.dailymed`) and by openFDA ``drug/label`` field name (read by
:mod:`curbside.ingest.openfda`). Each row gives the canonical heading a passage is filed under, the
type of question the section answers, and whether it is written for patients (Medication Guide,
patient package insert, patient counseling information, instructions for use).

Patient-facing text is headed by questions ("What is the most important information I should know
about X?", "How should I take X?"): :func:`question_parts` splits flat text at them and
:func:`question_kind` types each part by its heading's words; a heading it does not know is left
untyped (``None``) rather than guessed.

Sections a patient or clinician does not read to answer a question — clinical studies,
pharmacokinetics and other pharmacology, nonclinical toxicology, references, the package label and
product data elements — are not in the table, so neither adapter makes passages of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from curbside.domain import InfoType


@dataclass(frozen=True)
class LabelSection:
    """One kind of label section: its openFDA field, LOINC code(s), heading and type."""

    field: str
    loinc: tuple[str, ...]
    heading: str
    kind: InfoType | None
    patient: bool = False
    #: Other titles labels print for it (besides ``heading``), stripped from the start of its text.
    aliases: tuple[str, ...] = ()


_I = InfoType
#: In the order a label prints them; passages follow this order.
LABEL_SECTIONS: tuple[LabelSection, ...] = (
    LabelSection("boxed_warning", ("34066-1",), "Boxed warning", _I.WARNINGS, aliases=("warning",)),
    LabelSection("indications_and_usage", ("34067-9",), "Indications and usage", _I.USAGE),
    LabelSection("dosage_and_administration", ("34068-7",), "Dosage and administration", _I.DOSAGE),
    LabelSection("dosage_forms_and_strengths", ("43678-2",), "Dosage forms and strengths", None),
    LabelSection("contraindications", ("34070-3",), "Contraindications", _I.CONTRAINDICATIONS),
    LabelSection("warnings_and_cautions", ("43685-7",), "Warnings and precautions", _I.WARNINGS,
                 aliases=("warnings and cautions",)),
    LabelSection("warnings", ("34071-1",), "Warnings", _I.WARNINGS),
    LabelSection("precautions", ("42232-9",), "Precautions", _I.WARNINGS),
    LabelSection("general_precautions", ("34072-1",), "General precautions", _I.WARNINGS, aliases=("general",)),
    LabelSection("laboratory_tests", ("34075-2",), "Laboratory tests", None),
    LabelSection("adverse_reactions", ("34084-4",), "Adverse reactions", _I.SIDE_EFFECTS),
    LabelSection("drug_interactions", ("34073-7",), "Drug interactions", _I.INTERACTIONS),
    LabelSection("drug_and_or_laboratory_test_interactions", ("34074-5",), "Drug and laboratory test interactions",
                 _I.INTERACTIONS, aliases=("drug/laboratory test interactions",)),
    LabelSection("use_in_specific_populations", ("43684-0",), "Use in specific populations", _I.POPULATIONS),
    LabelSection("pregnancy", ("42228-7",), "Pregnancy", _I.PREGNANCY),
    LabelSection("teratogenic_effects", ("34077-8",), "Teratogenic effects", _I.PREGNANCY),
    LabelSection("nonteratogenic_effects", ("34078-6",), "Nonteratogenic effects", _I.PREGNANCY),
    LabelSection("labor_and_delivery", ("34079-4",), "Labor and delivery", _I.PREGNANCY),
    LabelSection("lactation", ("77290-5",), "Lactation", _I.PREGNANCY),
    LabelSection("nursing_mothers", ("34080-2",), "Nursing mothers", _I.PREGNANCY),
    LabelSection("pediatric_use", ("34081-0",), "Pediatric use", _I.POPULATIONS),
    LabelSection("geriatric_use", ("34082-8",), "Geriatric use", _I.POPULATIONS),
    LabelSection("drug_abuse_and_dependence", ("42227-9",), "Drug abuse and dependence", _I.WARNINGS),
    LabelSection("controlled_substance", ("34085-1",), "Controlled substance", _I.WARNINGS),
    LabelSection("abuse", ("34086-9",), "Abuse", _I.WARNINGS),
    LabelSection("dependence", ("34087-7",), "Dependence", _I.WARNINGS),
    LabelSection("overdosage", ("34088-5",), "Overdosage", _I.OVERDOSE),
    LabelSection("description", ("34089-3",), "Description", _I.INFORMATION),
    LabelSection("mechanism_of_action", ("43679-0",), "Mechanism of action", _I.MECHANISM),
    LabelSection("how_supplied", ("34069-5",), "How supplied", _I.STORAGE,
                 aliases=("how supplied/storage and handling", "how supplied and storage")),
    LabelSection("storage_and_handling", ("44425-7",), "Storage and handling", _I.STORAGE),
    LabelSection("information_for_patients", ("34076-0",), "Patient counseling information", None, patient=True,
                 aliases=("information for patients",)),
    LabelSection("spl_medguide", ("42231-1",), "Medication Guide", None, patient=True),
    LabelSection("spl_patient_package_insert", ("42230-3",), "Patient information", None, patient=True,
                 aliases=("patient package insert",)),
    LabelSection("patient_medication_information", ("68498-5",), "Patient medication information", None,
                 patient=True),
    LabelSection("instructions_for_use", ("59845-8",), "Instructions for use", _I.DOSAGE, patient=True),
)

BY_FIELD: dict[str, LabelSection] = {s.field: s for s in LABEL_SECTIONS}
BY_LOINC: dict[str, LabelSection] = {code: s for s in LABEL_SECTIONS for code in s.loinc}


_SUBSECTIONS = tuple(s for s in LABEL_SECTIONS if s.field in (
    "pregnancy", "lactation", "nursing_mothers", "labor_and_delivery", "teratogenic_effects", "nonteratogenic_effects",
    "pediatric_use", "geriatric_use"))
_REPRODUCTIVE = re.compile(r"^(?:females and males|females|males) of reproductive potential\b", re.IGNORECASE)


def subsection_kind(title: str) -> InfoType | None:
    """The type a subsection title names inside a broader section ("Lactation", "Pediatric Use" under
    Use in specific populations), when it names one of the typed sections; else ``None``."""
    words = " ".join(title.lower().split())
    for spec in _SUBSECTIONS:
        if words.startswith(spec.heading.lower()):
            return spec.kind
    return InfoType.PREGNANCY if _REPRODUCTIVE.match(words) else None


def section_for_field(field: str) -> LabelSection | None:
    """The section an openFDA field holds (``None`` for fields that make no passages)."""
    return BY_FIELD.get(field)


def section_for_loinc(code: str) -> LabelSection | None:
    """The section an SPL ``<section><code code=…>`` names (``None`` for the ones left out)."""
    return BY_LOINC.get(code)


# --- patient-facing text: question headings and their types ------------------------------------

#: Words of a patient-facing heading → the type of its part; the first that matches wins, so the
#: more specific come first ("most important information" before "what is").
_QUESTION_KINDS: tuple[tuple[re.Pattern[str], InfoType], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind) for pattern, kind in (
        (r"\bmost important\b", InfoType.WARNINGS),
        (r"\bside effects?\b|\badverse\b", InfoType.SIDE_EFFECTS),
        (r"\b(?:who|should (?:i|you)) (?:should )?not (?:take|use|receive|be given)\b|\bnot (?:take|use) .* if\b",
         InfoType.CONTRAINDICATIONS),
        (r"\bpregnan|\bbreast ?feed|\bnursing\b", InfoType.PREGNANCY),
        (r"\boverdose\b|\btoo much\b", InfoType.OVERDOSE),
        (r"\bmiss(?:ed|es)? (?:a )?dose\b", InfoType.DOSAGE),
        (r"\bstore\b|\bstorage\b|\bdispose\b|\bthrow away\b", InfoType.STORAGE),
        (r"\binteract|\bother medicines\b|\bother drugs\b", InfoType.INTERACTIONS),
        (r"\bhow (?:should|do|can|will) (?:i|you) (?:take|use|give|inject|apply)\b|\bhow (?:to|much) (?:take|use)\b"
         r"|\bhow much\b|\bhow often\b", InfoType.DOSAGE),
        (r"\bbefore (?:taking|using|starting|receiving|you take|you use|i take|i use)\b", InfoType.WARNINGS),
        (r"\bavoid\b", InfoType.WARNINGS),
        (r"\bhow does .* work\b", InfoType.MECHANISM),
        (r"^what (?:is|are) (?!the\b)(?!in\b)[^?]{1,80}\?$", InfoType.USAGE),  # "What is LIPITOR?"
        (r"\bused (?:for|to)\b", InfoType.USAGE),
    ))


def question_kind(heading: str) -> InfoType | None:
    """The type of a patient-facing part from its heading's words; ``None`` when none matches."""
    text = " ".join(heading.split())
    for pattern, kind in _QUESTION_KINDS:
        if pattern.search(text):
            return kind
    return None


_ASKING = "What|Who|How|When|Why|Where|Which|Can|Could|Should|Do|Does|Is|Are|Will|Must"
#: A question heading: a capitalised question word, then no sentence end until the question mark.
_QUESTION = re.compile(rf"(?<![\w'’])(?:{_ASKING})\b[^.!?:;]{{3,200}}\?")
_MAX_HEADING_WORDS = 30
#: A question in quotes points to another part ('See "What is the most important information …?"').
_OPEN_QUOTES = ("“", '"', "‘")
_CLOSE_QUOTES = ("”", '"', "’")


def question_parts(text: str) -> list[tuple[str, str]]:
    """Flat patient-facing text split at its question headings: ``(heading, text)`` in order.

    The text before the first question comes first with an empty heading; a question with nothing
    under it is dropped. Text without question headings is one part with an empty heading.
    """
    starts: list[tuple[int, int]] = []
    for match in _QUESTION.finditer(text):
        start = match.start()
        # The nearest question word before the "?" starts the heading ("… if you: are pregnant Who should …").
        inner = list(re.finditer(rf"(?<![\w'’])(?:{_ASKING})\b", match.group(0)))
        start += inner[-1].start() if inner else 0
        quoted = text[:start].rstrip().endswith(_OPEN_QUOTES) or text[match.end():].lstrip().startswith(_CLOSE_QUOTES)
        if len(text[start:match.end()].split()) <= _MAX_HEADING_WORDS and not quoted:
            starts.append((start, match.end()))
    parts: list[tuple[str, str]] = []
    lead = text[: starts[0][0] if starts else len(text)].strip()
    if lead:
        parts.append(("", lead))
    for i, (start, end) in enumerate(starts):
        body_end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        body = text[end:body_end].strip()
        heading = " ".join(text[start:end].split())
        if body:
            parts.append((heading, body))
    return parts
