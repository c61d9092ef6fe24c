"""MedQuAD XML (NIH consumer question–answer pages, CC BY 4.0).

One XML file is one page about one focus (a disease, drug, test); each answered question–answer
pair becomes a section headed by its question. Handles the NINDS variant files (``<doc docid
corpus>`` with lower-case elements) and the one CDC ``<DiseaseFile fid>`` file, and the subsets whose
answers were removed (reported, not loaded).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from curbside.domain import Audience, EvidenceLevel, Identifiers, InfoType, Section, Source, SourceDocument, SourceKind
from curbside.errors import SourceFormatError
from curbside.ingest.base import IngestProblem, file_head
from curbside.ingest.medquad_text import answer_text
from curbside.text import normalize_space

LICENSE = "CC BY 4.0"
ATTRIBUTION = ("MedQuAD (Ben Abacha & Demner-Fushman, 'A Question-Entailment Approach to Question Answering', "
               "BMC Bioinformatics 2019), CC BY 4.0")

PUBLISHERS = {
    "cancergov": "National Cancer Institute (cancer.gov)",
    "gard": "Genetic and Rare Diseases Information Center (GARD), NIH",
    "ghr": "Genetics Home Reference, U.S. National Library of Medicine",
    "mplushealthtopics": "MedlinePlus, U.S. National Library of Medicine",
    "niddk": "National Institute of Diabetes and Digestive and Kidney Diseases (NIDDK)",
    "ninds": "National Institute of Neurological Disorders and Stroke (NINDS)",
    "nihseniorhealth": "NIHSeniorHealth, National Institutes of Health",
    "nhlbi": "National Heart, Lung, and Blood Institute (NHLBI)",
    "cdc": "Centers for Disease Control and Prevention (CDC)",
    "adam": "A.D.A.M. Medical Encyclopedia (MedlinePlus)",
    "mplusdrugs": "MedlinePlus Drug Information",
    "mplusherbssupplements": "MedlinePlus Herbs and Supplements",
}

#: MedQuAD's 37 question types (``Question@qtype``) in curbside's one taxonomy.
QTYPES: dict[str, InfoType] = {
    "information": InfoType.INFORMATION, "other information": InfoType.OTHER, "symptoms": InfoType.SYMPTOMS,
    "causes": InfoType.CAUSES, "exams and tests": InfoType.DIAGNOSIS, "treatment": InfoType.TREATMENT,
    "prevention": InfoType.PREVENTION, "outlook": InfoType.OUTLOOK, "stages": InfoType.OUTLOOK,
    "complications": InfoType.COMPLICATIONS, "susceptibility": InfoType.SUSCEPTIBILITY,
    "inheritance": InfoType.INHERITANCE, "genetic changes": InfoType.INHERITANCE, "frequency": InfoType.FREQUENCY,
    "when to contact a medical professional": InfoType.SEEK_CARE, "considerations": InfoType.LIVING,
    "dietary": InfoType.LIVING, "indication": InfoType.USAGE, "why get vaccinated": InfoType.USAGE,
    "usage": InfoType.DOSAGE, "dose": InfoType.DOSAGE, "forget a dose": InfoType.DOSAGE,
    "side effects": InfoType.SIDE_EFFECTS, "severe reaction": InfoType.SIDE_EFFECTS,
    "contraindication": InfoType.CONTRAINDICATIONS, "precautions": InfoType.WARNINGS,
    "important warning": InfoType.WARNINGS, "interactions with medications": InfoType.INTERACTIONS,
    "interactions with herbs and supplements": InfoType.INTERACTIONS, "interactions with foods": InfoType.INTERACTIONS,
    "emergency or overdose": InfoType.OVERDOSE, "storage and disposal": InfoType.STORAGE,
    "how does it work": InfoType.MECHANISM, "how effective is it": InfoType.EFFECTIVENESS,
    "brand names": InfoType.BRAND_NAMES, "brand names of combination products": InfoType.BRAND_NAMES,
    "research": InfoType.RESEARCH, "support groups": InfoType.OTHER, "how can i learn more": InfoType.OTHER,
}

_ARE = re.compile(r"\s*\((?:are|is)\)\s*", re.IGNORECASE)


def _local(tag: object) -> str:
    return tag.split("}")[-1].lower() if isinstance(tag, str) else ""


def _child(el: etree._Element, *names: str) -> etree._Element | None:
    for child in el:
        if _local(child.tag) in names:
            return child
    return None


def _text(el: etree._Element | None) -> str:
    return normalize_space("".join(el.itertext())) if el is not None else ""


def clean_question(question: str) -> str:
    q = _ARE.sub(" ", question)
    q = re.sub(r"\s+\?", "?", normalize_space(q))
    return q[:1].upper() + q[1:] if q else q


def _answer_text(el: etree._Element | None) -> str:
    """Answer text as lines: paragraphs, headings and list items restored (see medquad_text)."""
    return answer_text("".join(el.itertext())) if el is not None else ""


class MedQuADAdapter:
    name = "medquad"

    def can_read(self, path: Path) -> bool:
        head = file_head(path, {".xml"}, 400).decode("utf-8", "ignore")
        return any(tag in head for tag in ("<Document", "<doc ", "<DiseaseFile"))

    def read(self, path: Path) -> Iterator[SourceDocument | IngestProblem]:
        try:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            root = etree.parse(str(path), parser).getroot()
        except (etree.XMLSyntaxError, OSError) as exc:
            raise SourceFormatError(f"{path}: not well-formed MedQuAD XML ({exc})") from exc
        if _local(root.tag) not in ("document", "doc", "diseasefile"):
            raise SourceFormatError(f"{path}: root element is <{_local(root.tag)}>, expected <Document>")
        doc_id = root.get("id") or root.get("docid") or root.get("fid") or path.stem
        corpus = root.get("source") or root.get("corpus") or path.parent.name
        url = root.get("url", "")
        focus = _text(_child(root, "focus", "doctitle-focus"))
        synonyms = [_text(s) for s in root.iter() if _local(s.tag) == "synonym"]
        cuis = [_text(c) for c in root.iter() if _local(c.tag) == "cui" and _text(c)]
        sections: list[Section] = []
        pairs_el = _child(root, "qapairs")
        for pair in (pairs_el if pairs_el is not None else []):
            if _local(pair.tag) not in ("qapair", "pair"):
                continue
            question_el = _child(pair, "question")
            question = clean_question(_text(question_el))
            answer = _answer_text(_child(pair, "answer"))
            qtype = (question_el.get("qtype", "") if question_el is not None else "").strip().lower()
            if question and answer:
                sections.append(Section(headings=[question], text=answer, kind=QTYPES.get(qtype)))
        origin = str(path)
        if not sections:
            yield IngestProblem(origin, "no answered question-answer pairs (answers removed or empty)")
            return
        if not focus:  # some CDC pages have an empty <Focus>: their first question names them
            first = sections[0].headings[0]
            focus = (first[:1].upper() + first[1:]).rstrip("?") or doc_id
        key = corpus.lower()
        publisher = PUBLISHERS.get(key, corpus)
        source = Source(
            id=f"medquad:{corpus}:{doc_id}", kind=SourceKind.PATIENT_EDUCATION, title=focus,
            publisher=publisher, url=url, license=LICENSE, attribution=ATTRIBUTION,
            audience=Audience.PATIENT, evidence_level=EvidenceLevel.EXPERT,
            identifiers=Identifiers(other={"medquad": f"{corpus}/{doc_id}", **({"umls_cui": cuis[0]} if cuis else {})}),
            topics=[focus, *[s for s in synonyms if s]][:20], collection="medquad",
        )
        yield SourceDocument(source=source, sections=sections, origin=origin)
