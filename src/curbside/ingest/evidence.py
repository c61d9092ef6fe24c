"""Evidence level and source kind from what a source says about itself.

PubMed publication types (``Practice Guideline``, ``Meta-Analysis``, ``Randomized Controlled
Trial`` …) are the primary signal; MeSH study-design headings (``Retrospective Studies`` …) are used
when no publication type is given (PubMedQA records carry MeSH only).
"""

from __future__ import annotations

from collections.abc import Iterable

from curbside.domain import EvidenceLevel, SourceKind

# Checked in order: the strongest design named wins.
_PUBLICATION_TYPES: list[tuple[set[str], EvidenceLevel, SourceKind]] = [
    ({"practice guideline", "guideline", "consensus development conference",
      "consensus development conference, nih"}, EvidenceLevel.GUIDELINE, SourceKind.GUIDELINE),
    ({"meta-analysis", "systematic review"}, EvidenceLevel.SYSTEMATIC_REVIEW, SourceKind.SYSTEMATIC_REVIEW),
    ({"randomized controlled trial", "controlled clinical trial", "clinical trial, phase iii",
      "clinical trial, phase iv", "pragmatic clinical trial", "equivalence trial"}, EvidenceLevel.RCT, SourceKind.TRIAL),
    ({"clinical trial", "clinical trial, phase i", "clinical trial, phase ii", "multicenter study",
      "observational study", "comparative study", "validation study", "evaluation study"},
     EvidenceLevel.OBSERVATIONAL, SourceKind.RESEARCH_ARTICLE),
    ({"review", "scoping review", "narrative review"}, EvidenceLevel.REVIEW, SourceKind.RESEARCH_ARTICLE),
    ({"case reports"}, EvidenceLevel.CASE_REPORT, SourceKind.RESEARCH_ARTICLE),
]

_MESH_DESIGNS: list[tuple[set[str], EvidenceLevel, SourceKind]] = [
    ({"meta-analysis as topic", "systematic reviews as topic"}, EvidenceLevel.SYSTEMATIC_REVIEW, SourceKind.RESEARCH_ARTICLE),
    ({"randomized controlled trials as topic", "random allocation", "double-blind method",
      "single-blind method"}, EvidenceLevel.RCT, SourceKind.RESEARCH_ARTICLE),
    ({"retrospective studies", "prospective studies", "cohort studies", "case-control studies",
      "cross-sectional studies", "follow-up studies", "longitudinal studies", "treatment outcome",
      "comparative study"}, EvidenceLevel.OBSERVATIONAL, SourceKind.RESEARCH_ARTICLE),
]


def _match(values: Iterable[str], table: list[tuple[set[str], EvidenceLevel, SourceKind]]) -> tuple[EvidenceLevel, SourceKind] | None:
    names = {v.strip().lower() for v in values}
    for keys, level, kind in table:
        if names & keys:
            return level, kind
    return None


def classify_publication_types(types: Iterable[str]) -> tuple[EvidenceLevel, SourceKind]:
    """Level and kind from PubMed publication types; research article of unknown level otherwise."""
    return _match(types, _PUBLICATION_TYPES) or (EvidenceLevel.UNKNOWN, SourceKind.RESEARCH_ARTICLE)


def classify_mesh(headings: Iterable[str]) -> tuple[EvidenceLevel, SourceKind]:
    """Level and kind from MeSH study-design headings (a weaker signal than publication types)."""
    return _match(headings, _MESH_DESIGNS) or (EvidenceLevel.UNKNOWN, SourceKind.RESEARCH_ARTICLE)
