"""The domain model: sources, passages, search hits and the answer contract.

These are pydantic models because they cross every boundary (CLI JSON, API, stored snapshots).
Nothing here imports a framework, a database or an index.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class SourceKind(StrEnum):
    GUIDELINE = "guideline"
    SYSTEMATIC_REVIEW = "systematic_review"
    TRIAL = "trial"
    RESEARCH_ARTICLE = "research_article"
    PATIENT_EDUCATION = "patient_education"
    DRUG_LABEL = "drug_label"
    CONSULT = "consult"
    BOARD_REVIEWED = "board_reviewed"


#: The reference ``type`` label printed for each kind (as the seeds print "Guideline", "Research").
KIND_LABELS: dict[SourceKind, str] = {
    SourceKind.GUIDELINE: "Guideline",
    SourceKind.SYSTEMATIC_REVIEW: "Systematic review",
    SourceKind.TRIAL: "Clinical trial",
    SourceKind.RESEARCH_ARTICLE: "Research",
    SourceKind.PATIENT_EDUCATION: "Patient education",
    SourceKind.DRUG_LABEL: "Drug label",
    SourceKind.CONSULT: "Consult",
    SourceKind.BOARD_REVIEWED: "Board-reviewed overview",
}


class Audience(StrEnum):
    CLINICIAN = "clinician"
    PATIENT = "patient"
    BOTH = "both"


class EvidenceLevel(StrEnum):
    """What a source says about its own design, strongest first."""

    GUIDELINE = "guideline"
    SYSTEMATIC_REVIEW = "systematic_review"
    RCT = "rct"
    OBSERVATIONAL = "observational"
    REVIEW = "review"
    CASE_REPORT = "case_report"
    EXPERT = "expert"  # patient-education pages, board overviews, consults
    UNKNOWN = "unknown"


#: 1 (strongest) … 8; used for the optional evidence boost and for sorting.
EVIDENCE_RANK: dict[EvidenceLevel, int] = {level: i + 1 for i, level in enumerate(EvidenceLevel)}


class Identifiers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    other: dict[str, str] = Field(default_factory=dict)


class Source(BaseModel):
    """One document with its provenance: a guideline, an abstract, a patient page, an article."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Stable id, e.g. 'pmid:21645374', 'medquad:GARD:0000123', 'doc:<hash>'.")
    kind: SourceKind
    title: str
    publisher: str = Field("", description="Publisher or journal.")
    year: int | None = None
    url: str = ""
    identifiers: Identifiers = Field(default_factory=Identifiers)
    license: str = ""
    attribution: str = ""
    audience: Audience = Audience.BOTH
    language: str = "en"
    evidence_level: EvidenceLevel = EvidenceLevel.UNKNOWN
    publication_types: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list, description="Focus terms, MeSH headings, synonyms.")
    collection: str = Field("", description="Where it came from: 'medquad', 'pubmedqa', 'pubmed', 'local', 'starter' …")


class InfoType(StrEnum):
    """What a question asks for, and what a section of a source gives: one taxonomy for both.

    A question is answered from passages whose section type answers its type. Sources give their
    own sections' types where they have them (MedQuAD's ``qtype``, a drug label's LOINC section or
    openFDA field); other headings are typed by the packaged model (``kb/infotypes.py``).
    """

    INFORMATION = "information"  # what it is; a definition or an overview
    SYMPTOMS = "symptoms"
    CAUSES = "causes"
    DIAGNOSIS = "diagnosis"  # exams and tests
    TREATMENT = "treatment"
    PREVENTION = "prevention"
    OUTLOOK = "outlook"  # prognosis, course, how long it lasts
    COMPLICATIONS = "complications"
    SUSCEPTIBILITY = "susceptibility"  # who gets it, risk factors
    INHERITANCE = "inheritance"  # genetic changes and how they are inherited
    FREQUENCY = "frequency"  # how common
    SEEK_CARE = "seek_care"  # when to contact a medical professional
    LIVING = "living"  # diet, self-care, living with it
    USAGE = "usage"  # what a medicine is used for (indications)
    DOSAGE = "dosage"  # how much, how and when to take it, a missed dose
    SIDE_EFFECTS = "side_effects"
    CONTRAINDICATIONS = "contraindications"  # who should not take it
    WARNINGS = "warnings"  # boxed warnings, precautions
    INTERACTIONS = "interactions"
    PREGNANCY = "pregnancy"  # pregnancy and breastfeeding
    POPULATIONS = "populations"  # use in children, older adults, kidney or liver disease
    OVERDOSE = "overdose"
    STORAGE = "storage"
    MECHANISM = "mechanism"  # how it works
    EFFECTIVENESS = "effectiveness"  # how well it works
    BRAND_NAMES = "brand_names"
    COMPARISON = "comparison"
    RESEARCH = "research"  # research, clinical trials
    OTHER = "other"  # support groups, where to learn more, anything else


class Section(BaseModel):
    """A headed stretch of a source's text, before chunking."""

    model_config = ConfigDict(extra="forbid")

    headings: list[str] = Field(default_factory=list)
    text: str
    kind: InfoType | None = Field(None, description="The section's type when its source says it (MedQuAD qtype, a label's section).")


class SourceDocument(BaseModel):
    """What an ingest adapter yields: a source and its text in sections."""

    model_config = ConfigDict(extra="forbid")

    source: Source
    sections: list[Section]
    origin: str = Field("", description="File (and record) it was read from, for reports.")


class Passage(BaseModel):
    """A retrievable piece of a source: its heading path, text and position."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="'<source id>#<position>'.")
    source_id: str
    position: int
    headings: list[str] = Field(default_factory=list)
    text: str
    section_type: InfoType | None = Field(None, description="What its section gives (see InfoType); None when unknown.")

    @property
    def context_text(self) -> str:
        """Text with its heading path in front: what is indexed and embedded."""
        if not self.headings:
            return self.text
        return " > ".join(self.headings) + ": " + self.text


class SearchFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kinds: list[SourceKind] = Field(default_factory=list)
    audiences: list[Audience] = Field(default_factory=list, description="A source for 'both' matches every audience.")
    year_min: int | None = None
    year_max: int | None = None
    collections: list[str] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.kinds or self.audiences or self.collections) and self.year_min is None and self.year_max is None


class RetrieverScore(BaseModel):
    rank: int
    score: float


class SearchHit(BaseModel):
    """One result: the passage, its source and how each retriever ranked it."""

    passage: Passage
    source: Source
    score: float = Field(description="Fused score (higher is better).")
    rank: int
    lexical: RetrieverScore | None = None
    dense: RetrieverScore | None = None


# ---------------------------------------------------------------------------------------------
# The answer contract (issue: composer). Every renderer and the API use it.
# ---------------------------------------------------------------------------------------------


class Intent(StrEnum):
    MANAGEMENT = "management"
    INITIAL_MANAGEMENT = "initial_management"
    MEANING = "meaning"
    DIAGNOSIS = "diagnosis"
    CAUSES = "causes"
    SYMPTOMS = "symptoms"
    PROGNOSIS = "prognosis"
    PREVENTION = "prevention"
    MEDICATION = "medication"
    COMPARISON = "comparison"
    GENERAL = "general"


class AbstainKind(StrEnum):
    """Why an answer was withheld (counted by ``curbside eval answers``)."""

    NONE = ""
    NOT_COVERED = "not_covered"  # nothing in the knowledge base is close to the question
    OFF_TOPIC = "off_topic"  # passages were found, but none is about the question's subject
    NO_ANSWER = "no_answer"  # on-topic passages, but no statement answers what was asked
    NEEDS_SUBJECT = "needs_subject"  # the question does not say what it is about ("does this come as a pill?")
    EMPTY = "empty_question"


class CitedText(BaseModel):
    text: str
    citations: list[int] = Field(default_factory=list, description="Reference numbers.")


class AnswerItem(BaseModel):
    text: str
    citations: list[int] = Field(default_factory=list)
    children: list[AnswerItem] = Field(default_factory=list)


class AnswerSection(BaseModel):
    heading: str
    style: str = Field("bullets", description="'bullets', 'numbered' or 'algorithm' (if → then).")
    items: list[AnswerItem] = Field(default_factory=list)


class ReferencePassage(BaseModel):
    id: str
    text: str


class Reference(BaseModel):
    number: int
    type: str = Field(description="Label such as Guideline, Systematic review, Research, Patient education.")
    title: str
    source: str = Field("", description="Journal or publisher.")
    year: int | None = None
    url: str = ""
    evidence_level: EvidenceLevel = EvidenceLevel.UNKNOWN
    source_id: str = ""
    passages: list[ReferencePassage] = Field(default_factory=list)


class Notice(BaseModel):
    kind: str = Field(description="'emergency', 'medication', 'info' …")
    text: str
    urgent: bool = False


class Provenance(BaseModel):
    composer: str
    composer_version: str
    settings_hash: str
    retrieval_query: str
    passage_ids: list[str] = Field(default_factory=list, description="Every passage the answer used.")
    dropped_statements: int = 0
    fallback_reason: str = ""
    latency_ms: float = 0.0
    readability_grade: float | None = None
    extra: dict[str, str] = Field(default_factory=dict)


class Answer(BaseModel):
    question: str
    title: str
    audience: Audience
    intent: Intent
    bottom_line: CitedText
    sections: list[AnswerSection] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    notices: list[Notice] = Field(default_factory=list)
    disclaimer: str
    abstained: bool = False
    abstain_reason: str = ""
    abstain_kind: AbstainKind = Field(AbstainKind.NONE, description="Why the answer was withheld, as a category.")
    uncovered: list[str] = Field(default_factory=list, description="Parts of the question the sources did not cover.")
    follow_ups: list[str] = Field(default_factory=list)
    provenance: Provenance
    thread_id: str = Field("", description="Conversation this answer belongs to; pass it back to ask a follow-up.")
