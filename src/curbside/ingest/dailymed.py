"""DailyMed drug labels: FDA Structured Product Labeling (SPL) XML, alone or in DailyMed zips.

An SPL document (HL7 v3, namespace ``urn:hl7-org:v3``) is one version of one label; its
``setId`` names the label across versions, so the source id is ``dailymed:<setId>`` and pulling
a newer version replaces the older one's text. Labels are public domain (U.S. FDA, published by
NLM's DailyMed).

Which sections become passages: the ones :mod:`curbside.ingest.label_sections` lists, chosen by
LOINC section code (the title a manufacturer prints varies, the code does not) — boxed warning,
indications and usage, dosage and administration, contraindications, warnings and precautions,
adverse reactions, drug interactions, use in specific populations (pregnancy, lactation, pediatric
and geriatric use), overdosage, description, mechanism of action, how supplied and storage, and the
patient-facing Medication Guide, patient information and patient counseling information. Each is
headed by its canonical name, then the label's own subsection titles ("Warnings > Infections >
Fungal Infections"), and typed (``Section.kind``) by its code; a subsection without a code of its
own takes its parent's type. Clinical pharmacology and studies, package label and product data
sections are left out. A label is for both audiences (its patient sections are written for
patients; an openFDA copy of the same label, :mod:`curbside.ingest.openfda`, has the same id).

Text: ``<paragraph>`` → a line, ``<list><item>`` → ``"- "`` items, table rows → one line with
cells joined by " | ". A zip (DailyMed's download for one label, or a release file of label zips)
is read member by member, nested zips one level deep; members over 64 MB are skipped, and all members
together (nested ones included) may expand to ``dailymed.max_expanded_mb`` (``ingest/archives.py``).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from curbside.domain import Audience, EvidenceLevel, Identifiers, InfoType, Section, Source, SourceDocument, SourceKind
from curbside.errors import SourceFormatError
from curbside.ingest.archives import DEFAULT_MAX_EXPANDED_BYTES, ExpansionBudget
from curbside.ingest.base import IngestProblem
from curbside.ingest.label_sections import section_for_loinc
from curbside.text import LIST_ITEM, normalize_space

NS = "urn:hl7-org:v3"
LICENSE = "Public domain (U.S. FDA drug label, published by NLM DailyMed)"
ATTRIBUTION = "Drug label from DailyMed, U.S. National Library of Medicine (FDA Structured Product Labeling)"
LABEL_URL = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}"
MAX_MEMBER_BYTES = 64 * 1024 * 1024

_NUMBERING = re.compile(r"^\d+(?:\.\d+)*\s+")


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.split("}")[-1] if isinstance(tag, str) else ""


_SPACE_BEFORE = re.compile(r"\s+([,.;:)\]])")
_SPACE_AFTER = re.compile(r"([(\[])\s+")


def _tidy(text: str) -> str:
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", normalize_space(text)))


def _flat(el: etree._Element | None) -> str:
    return _tidy("".join(el.itertext())) if el is not None else ""


def _title(section: etree._Element) -> str:
    return _NUMBERING.sub("", _flat(section.find(_q("title"))))


def _block_lines(el: etree._Element) -> list[str]:
    """Lines of a narrative block: paragraphs, list items and table rows."""
    lines: list[str] = []
    name = _local(el)
    if name == "list":
        for item in el.iterfind(_q("item")):
            nested = [child for child in item if _local(child) in ("list", "table")]
            own = _tidy("".join([item.text or ""] + ["".join(c.itertext()) + (c.tail or "")
                                                     for c in item if c not in nested]))
            if own:
                lines.append(LIST_ITEM + own)
            for child in nested:
                lines.extend(_block_lines(child))
    elif name == "table":
        for row in el.iter(_q("tr")):
            cells = [_flat(cell) for cell in row if _local(cell) in ("td", "th")]
            cells = [c for c in cells if c]
            if cells:
                lines.append(" | ".join(cells))
    elif name in ("renderMultiMedia", "footnote"):
        pass
    else:
        text = _flat(el)
        if text:
            lines.append(text)
    return lines


def _section_text(section: etree._Element) -> str:
    text = section.find(_q("text"))
    if text is None:
        return ""
    lines: list[str] = []
    if text.text and text.text.strip():
        lines.append(_tidy(text.text))
    for child in text:
        lines.extend(_block_lines(child))
        if child.tail and child.tail.strip():
            lines.append(_tidy(child.tail))
    return "\n".join(lines)


def _code(section: etree._Element) -> str:
    code = section.find(_q("code"))
    return code.get("code", "") if code is not None else ""


def _walk(section: etree._Element, headings: list[str], kind: InfoType | None, out: list[Section]) -> None:
    text = _section_text(section)
    if text:
        out.append(Section(headings=headings, text=text, kind=kind))
    for component in section.iterfind(_q("component")):
        child = component.find(_q("section"))
        if child is not None:
            title = _title(child)
            # A subsection with a section code of its own has its own type ("Pregnancy" under
            # "Use in specific populations"); any other inherits its parent's.
            spec = section_for_loinc(_code(child))
            _walk(child, [*headings, title] if title else headings, spec.kind if spec else kind, out)


def _sections(root: etree._Element) -> list[Section]:
    out: list[Section] = []
    body = root.find(f"{_q('component')}/{_q('structuredBody')}")
    if body is None:
        return out
    for component in body.iterfind(_q("component")):
        section = component.find(_q("section"))
        if section is None:
            continue
        spec = section_for_loinc(_code(section))
        if spec is not None:
            _walk(section, [spec.heading], spec.kind, out)
    return out


def parse_spl(data: bytes, origin: str) -> SourceDocument | IngestProblem:
    """One SPL document from its bytes."""
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SourceFormatError(f"{origin}: not well-formed SPL XML ({exc})") from exc
    if root.tag != _q("document"):
        raise SourceFormatError(f"{origin}: root element is <{_local(root)}>, expected an SPL <document>")
    set_el = root.find(_q("setId"))
    set_id = set_el.get("root", "") if set_el is not None else ""
    if not set_id:
        return IngestProblem(origin, "SPL document without a setId")
    doc_id_el = root.find(_q("id"))
    version_el = root.find(_q("versionNumber"))
    time_el = root.find(_q("effectiveTime"))
    effective = time_el.get("value", "") if time_el is not None else ""
    kind_el = root.find(_q("code"))
    org = root.find(f"{_q('author')}/{_q('assignedEntity')}/{_q('representedOrganization')}/{_q('name')}")
    products = [_flat(n) for n in root.iter(_q("manufacturedProduct")) for n in n.iterfind(_q("name"))]
    generics = [_flat(n) for n in root.iter(_q("genericMedicine")) for n in n.iterfind(_q("name"))]
    title = _flat(root.find(_q("title"))) or (products[0] if products else set_id)
    sections = _sections(root)
    if not sections:
        return IngestProblem(origin, f"SPL {set_id}: none of the clinical sections this adapter reads")
    topics = list(dict.fromkeys(t for t in [*(p.lower() for p in products), *(g.lower() for g in generics)] if t))
    other = {"spl_set_id": set_id}
    if doc_id_el is not None and doc_id_el.get("root"):
        other["spl_id"] = doc_id_el.get("root", "")
    if version_el is not None and version_el.get("value"):
        other["spl_version"] = version_el.get("value", "")
    if effective:
        other["effective_date"] = effective[:8]
    if kind_el is not None and kind_el.get("displayName"):
        other["spl_document_type"] = kind_el.get("displayName", "")
    source = Source(
        id=f"dailymed:{set_id}", kind=SourceKind.DRUG_LABEL, title=title,
        publisher=_flat(org) or "DailyMed", year=int(effective[:4]) if effective[:4].isdigit() else None,
        url=LABEL_URL.format(set_id=set_id), identifiers=Identifiers(other=other), license=LICENSE,
        attribution=ATTRIBUTION, audience=Audience.BOTH, evidence_level=EvidenceLevel.EXPERT,
        publication_types=["Drug label"], topics=topics[:20], collection="dailymed",
    )
    return SourceDocument(source=source, sections=sections, origin=origin)


def _is_spl(head: bytes) -> bool:
    return b"urn:hl7-org:v3" in head and b"<document" in head


def _zip_items(archive: zipfile.ZipFile, origin: str, depth: int,
               budget: ExpansionBudget) -> Iterator[SourceDocument | IngestProblem]:
    for info in archive.infolist():
        if budget.spent:
            return
        name = info.filename
        where = f"{origin}!{name}"
        if info.is_dir() or not name.lower().endswith((".xml", ".zip")):
            continue
        if info.file_size > MAX_MEMBER_BYTES:
            yield IngestProblem(where, f"skipped: {info.file_size:,} bytes is over the {MAX_MEMBER_BYTES:,} limit")
            continue
        if not budget.take(info.file_size):
            yield IngestProblem(where, budget.refusal())
            return
        data = archive.read(info)
        if name.lower().endswith(".zip"):
            if depth >= 1:
                yield IngestProblem(where, "skipped: zips nested more than one level deep")
                continue
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as inner:
                    yield from _zip_items(inner, where, depth + 1, budget)
            except zipfile.BadZipFile:
                yield IngestProblem(where, "not a readable zip")
            continue
        if not _is_spl(data[:2000]):
            continue
        try:
            yield parse_spl(data, where)
        except SourceFormatError as exc:
            yield IngestProblem(where, exc.message)


class DailyMedAdapter:
    name = "dailymed"

    def __init__(self, max_expanded_bytes: int = DEFAULT_MAX_EXPANDED_BYTES) -> None:
        self.max_expanded_bytes = max_expanded_bytes

    def can_read(self, path: Path) -> bool:
        suffix = path.suffix.lower()
        try:
            if suffix == ".xml":
                with path.open("rb") as fh:
                    return _is_spl(fh.read(2000))
            if suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    names = [n.lower() for n in archive.namelist()]
                return any(n.endswith(".xml") for n in names) or any(n.endswith(".zip") for n in names)
        except (OSError, zipfile.BadZipFile):
            return False
        return False

    def read(self, path: Path) -> Iterator[SourceDocument | IngestProblem]:
        if path.suffix.lower() == ".zip":
            try:
                with zipfile.ZipFile(path) as archive:
                    yield from _zip_items(archive, str(path), 0, ExpansionBudget(self.max_expanded_bytes))
            except zipfile.BadZipFile as exc:
                raise SourceFormatError(f"{path}: not a readable zip ({exc})") from exc
            return
        yield parse_spl(path.read_bytes(), str(path))
