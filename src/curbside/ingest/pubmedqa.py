"""PubMedQA JSON (``ori_pqal.json``, MIT): PubMed abstracts keyed by PMID.

Each record becomes a research source whose sections are the labelled abstract parts
(BACKGROUND, METHODS, RESULTS …) and the conclusion (the record's long answer).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from curbside.domain import Audience, Identifiers, Section, Source, SourceDocument
from curbside.errors import SourceFormatError
from curbside.ingest.base import IngestProblem, file_head
from curbside.ingest.evidence import classify_mesh
from curbside.ingest.pubmed import section_heading
from curbside.text import normalize_space

LICENSE = "MIT (PubMedQA); abstract text from PubMed/MEDLINE"
ATTRIBUTION = "PubMedQA (Jin et al., EMNLP 2019), MIT license; abstracts from PubMed/MEDLINE, U.S. National Library of Medicine"


class PubMedQAAdapter:
    name = "pubmedqa"

    def can_read(self, path: Path) -> bool:
        head = file_head(path, {".json"}, 4000).decode("utf-8", "ignore")
        return '"QUESTION"' in head and '"CONTEXTS"' in head

    def read(self, path: Path) -> Iterator[SourceDocument | IngestProblem]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SourceFormatError(f"{path}: not readable PubMedQA JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise SourceFormatError(f"{path}: expected an object keyed by PMID")
        for pmid, record in data.items():
            origin = f"{path}#{pmid}"
            try:
                yield self._document(str(pmid), record, origin)
            except (KeyError, TypeError, ValueError) as exc:
                yield IngestProblem(origin, f"malformed record: {exc!r}")

    def _document(self, pmid: str, record: dict[str, Any], origin: str) -> SourceDocument:
        contexts = record["CONTEXTS"]
        labels = record.get("LABELS") or [""] * len(contexts)
        if not isinstance(contexts, list) or not contexts:
            raise ValueError("CONTEXTS is empty")
        headings = [section_heading(str(label)) for label in labels]
        sections = [Section(headings=[heading] if heading else [], text=normalize_space(str(text)))
                    for heading, text in zip(headings, contexts, strict=False) if str(text).strip()]
        conclusion = normalize_space(str(record.get("LONG_ANSWER", "")))
        if conclusion:
            sections.append(Section(headings=["Conclusions"], text=conclusion))
        mesh = [str(m) for m in record.get("MESHES", [])]
        level, kind = classify_mesh(mesh)
        year_raw = str(record.get("YEAR", "")).strip()
        source = Source(
            id=f"pmid:{pmid}", kind=kind, title=normalize_space(str(record["QUESTION"])),
            publisher="PubMed", year=int(year_raw) if year_raw.isdigit() else None,
            url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", identifiers=Identifiers(pmid=pmid),
            license=LICENSE, attribution=ATTRIBUTION, audience=Audience.CLINICIAN, evidence_level=level,
            topics=mesh, collection="pubmedqa",
        )
        return SourceDocument(source=source, sections=sections, origin=origin)
