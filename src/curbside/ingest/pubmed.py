"""PubMed/MEDLINE XML: E-utilities ``efetch`` output and the annual baseline/update files.

Both hold a ``<PubmedArticleSet>`` of ``<PubmedArticle>`` records; baseline and update files are
usually gzip-compressed (``.xml.gz``) and update files may carry ``<DeleteCitation>`` lists.
Each article becomes a research source (``pmid:<PMID>``) whose sections are the abstract's
labelled parts (Background, Methods, Results, Conclusions …), or one section when unlabelled.
Evidence level and kind come from the publication types; when those name no design (plain
"Journal Article") the MeSH study-design headings are used, as for PubMedQA records.

Decisions:

* Records are streamed with lxml ``iterparse`` and released after use: memory stays flat on a
  30,000-record baseline file.
* Parsing never resolves entities, loads a DTD or touches the network. A file whose DOCTYPE
  declares entities (XXE, "billion laughs") is refused whole with SourceFormatError; PubMed's
  own files declare none.
* A file that is not XML, has another root or breaks off (a truncated download) raises
  SourceFormatError. Records before the break are already yielded; they are complete, and reading
  the repaired file again adds only what was missing.
* An article without an abstract is reported as an IngestProblem: a title alone is no evidence
  to retrieve. So is a ``<PubmedBookArticle>`` (NCBI Bookshelf), which this adapter does not read.
* Each ``<DeleteCitation>`` list is reported as one IngestProblem naming its PMIDs: ingest only
  adds, so deletions are not applied (remove such sources through the knowledge base).
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from lxml import etree

from curbside.domain import Audience, EvidenceLevel, Identifiers, Section, Source, SourceDocument
from curbside.errors import SourceFormatError
from curbside.ingest.base import IngestProblem
from curbside.ingest.evidence import classify_mesh, classify_publication_types
from curbside.text import normalize_space

LICENSE = "PubMed/MEDLINE abstract; copyright of the publisher — check before redistribution"
ATTRIBUTION = "Abstract from PubMed/MEDLINE, U.S. National Library of Medicine"
_RECORDS = {"PubmedArticle", "PubmedBookArticle", "DeleteCitation"}
_NO_LABEL = {"UNASSIGNED", "UNLABELLED", "UNLABELED"}
_SMALL_WORDS = {"and", "or", "of", "the", "in", "for", "to", "with", "a", "an", "on", "at", "by"}
# MEDLINE uses ISO 639-2 (bibliographic) codes; Source.language uses ISO 639-1 where one exists.
_LANGUAGES = {
    "eng": "en", "fre": "fr", "ger": "de", "spa": "es", "ita": "it", "por": "pt", "dut": "nl",
    "rus": "ru", "jpn": "ja", "chi": "zh", "kor": "ko", "pol": "pl", "swe": "sv", "dan": "da",
    "nor": "no", "fin": "fi", "cze": "cs", "hun": "hu", "tur": "tr", "gre": "el", "heb": "he",
    "ara": "ar", "per": "fa", "ukr": "uk", "rum": "ro", "hrv": "hr", "slv": "sl", "slo": "sk",
}
Item = SourceDocument | IngestProblem


class Readable(Protocol):
    """A binary stream (an open file, a GzipFile, a BytesIO)."""

    def read(self, size: int = -1, /) -> bytes: ...


_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")


def _text(el: etree._Element | None) -> str:
    """All text under ``el`` (inline markup kept, unresolved entity references dropped)."""
    if el is None:
        return ""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):  # an element; entities and comments are left out
                walk(child)
            parts.append(child.tail or "")

    walk(el)
    return normalize_space("".join(parts))


def heading_case(label: str) -> str:
    """'PATIENTS AND METHODS' → 'Patients and Methods'; mixed-case labels are kept as written."""
    label = normalize_space(label)
    if not label or not label.isupper():
        return label
    out = []
    for i, word in enumerate(label.lower().split(" ")):
        out.append(word if i and word in _SMALL_WORDS else word[:1].upper() + word[1:])
    return " ".join(out)


def section_heading(label: str) -> str:
    """A structured-abstract label as a heading: '' for UNLABELLED/UNASSIGNED, else :func:`heading_case`."""
    return "" if normalize_space(label).upper() in _NO_LABEL else heading_case(label)


def _year(article: etree._Element) -> int | None:
    pub_date = article.find("Journal/JournalIssue/PubDate")
    candidates = []
    if pub_date is not None:
        candidates += [_text(pub_date.find("Year")), _text(pub_date.find("MedlineDate"))]
    candidates += [_text(d.find("Year")) for d in article.findall("ArticleDate")]
    for value in candidates:
        match = _YEAR.search(value)
        if match:
            return int(match.group(1))
    return None


def _abstract_sections(citation: etree._Element) -> list[Section]:
    parts = citation.findall("Article/Abstract/AbstractText")
    if not parts:  # some non-English articles carry their English abstract as OtherAbstract
        parts = [p for other in citation.findall("OtherAbstract")
                 if (other.get("Language") or "eng") == "eng"
                 for p in other.findall("AbstractText")]
    sections = []
    for part in parts:
        text = _text(part)
        if not text:
            continue
        label = part.get("Label") or part.get("NlmCategory") or ""
        heading = section_heading(label)
        sections.append(Section(headings=[heading] if heading else [], text=text))
    return sections


def _authors(article: etree._Element) -> str:
    names = []
    for author in article.findall("AuthorList/Author"):
        name = _text(author.find("CollectiveName")) or " ".join(
            x for x in (_text(author.find("LastName")), _text(author.find("Initials"))) if x)
        if name:
            names.append(name)
    if len(names) > 3:
        return ", ".join(names[:3]) + ", et al."
    return ", ".join(names)


def _doi(article: etree._Element, ids: dict[str, str]) -> str:
    for loc in article.findall("ELocationID"):
        if loc.get("EIdType") == "doi" and loc.get("ValidYN", "Y") == "Y" and _text(loc):
            return _text(loc)
    return ids.get("doi", "")


def _article_document(record: etree._Element, pmid: str,
                      origin: str) -> SourceDocument | IngestProblem:
    citation = record.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    if citation is None or article is None:
        raise ValueError("no <MedlineCitation><Article>")
    title = _text(article.find("ArticleTitle")) or _text(article.find("VernacularTitle"))
    if not title:
        raise ValueError("no ArticleTitle")
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    sections = _abstract_sections(citation)
    if not sections:
        return IngestProblem(origin, "no abstract (title only): nothing to retrieve")
    journal = _text(article.find("Journal/Title")) or _text(article.find("Journal/ISOAbbreviation"))
    year = _year(article)
    ids = {(a.get("IdType") or "").lower(): _text(a)
           for a in record.findall("PubmedData/ArticleIdList/ArticleId")}
    doi = _doi(article, ids)
    pmcid = ids.get("pmc", "")
    types = [_text(t) for t in article.findall("PublicationTypeList/PublicationType") if _text(t)]
    mesh = [_text(d) for d in citation.findall("MeshHeadingList/MeshHeading/DescriptorName")]
    level, kind = classify_publication_types(types)
    if level is EvidenceLevel.UNKNOWN:  # "Journal Article" alone: MeSH may name the design
        level, kind = classify_mesh(mesh)
    language = _text(article.find("Language")).lower()
    authors = _authors(article)
    cite = ". ".join(x for x in (authors.rstrip("."), journal, str(year or "")) if x)
    attribution = f"{cite}. PMID {pmid}. {ATTRIBUTION}" if cite else f"PMID {pmid}. {ATTRIBUTION}"
    source = Source(
        id=f"pmid:{pmid}", kind=kind, title=title, publisher=journal, year=year,
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        identifiers=Identifiers(pmid=pmid, doi=doi or None, pmcid=pmcid or None),
        license=LICENSE, attribution=attribution,
        audience=Audience.CLINICIAN, language=_LANGUAGES.get(language, language or "en"),
        evidence_level=level, publication_types=types, topics=[m for m in mesh if m][:50],
        collection="pubmed",
    )
    return SourceDocument(source=source, sections=sections, origin=origin)


def _record(record: etree._Element, origin: str, index: int) -> tuple[str, Item]:
    tag = record.tag
    if tag == "DeleteCitation":
        pmids = [_text(p) for p in record.findall("PMID")]
        shown = ", ".join(pmids[:10]) + (" …" if len(pmids) > 10 else "")
        message = f"NLM deleted {len(pmids)} citation(s) ({shown}); ingest does not apply deletions"
        return "", IngestProblem(f"{origin}#DeleteCitation", message)
    if tag == "PubmedBookArticle":
        pmid = _text(record.find("BookDocument/PMID"))
        where = f"{origin}#pmid:{pmid or index}"
        return pmid, IngestProblem(where, "book record (PubmedBookArticle) is not read")
    pmid = _text(record.find("MedlineCitation/PMID"))
    where = f"{origin}#pmid:{pmid}" if pmid else f"{origin}#article-{index}"
    try:
        if not pmid.isdigit():
            raise ValueError(f"PMID {pmid!r} is missing or not a number")
        return pmid, _article_document(record, pmid, where)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError too
        return pmid, IngestProblem(where, f"malformed article: {exc}")


def _check_root(root: etree._Element, origin: str) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise SourceFormatError(f"{origin}: the XML declares entities in its DOCTYPE, which PubMed "
                                "files never do; refused (possible XXE or entity-expansion attack)")
    if root.tag != "PubmedArticleSet":
        raise SourceFormatError(
            f"{origin}: root element is <{root.tag}>, expected <PubmedArticleSet>")


def iter_records(stream: Readable, origin: str) -> Iterator[tuple[str, Item]]:
    """(PMID, document or problem) for each record of a PubmedArticleSet read from ``stream``."""
    context = etree.iterparse(stream, events=("start", "end"), resolve_entities=False,
                              no_network=True, load_dtd=False, huge_tree=False,
                              remove_comments=True, remove_pis=True)
    root: etree._Element | None = None
    index = 0
    try:
        for event, element in context:
            if root is None:
                root = element
                _check_root(root, origin)
            if event != "end" or element.tag not in _RECORDS or element.getparent() is not root:
                continue
            index += 1
            yield _record(element, origin, index)
            element.clear(keep_tail=False)
            while element.getprevious() is not None:  # drop finished records: flat memory
                del root[0]
    except etree.XMLSyntaxError as exc:
        where = f" after {index} records" if index else ""
        raise SourceFormatError(f"{origin}: not well-formed PubMed XML{where} ({exc}); "
                                "re-download the file if it was cut short") from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceFormatError(f"{origin}: cannot be read as PubMed XML ({exc}); "
                                "re-download the file if it was cut short") from exc
    if root is None:
        raise SourceFormatError(f"{origin}: empty file")


def iter_pubmed_xml(stream: Readable, origin: str) -> Iterator[SourceDocument | IngestProblem]:
    """The documents (and problems) of a PubmedArticleSet read from ``stream``."""
    for _, item in iter_records(stream, origin):
        yield item


def _is_gzip(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


class PubMedAdapter:
    name = "pubmed"

    def can_read(self, path: Path) -> bool:
        lower = path.name.lower()
        if not (lower.endswith(".xml") or lower.endswith(".xml.gz")):
            return False
        try:
            with (gzip.open(path, "rb") if _is_gzip(path) else path.open("rb")) as handle:
                head = handle.read(2000).decode("utf-8", "ignore")
        except (OSError, EOFError, zlib.error):
            return _is_gzip(path)  # a broken .xml.gz: claim it so that read() says what is wrong
        return "<PubmedArticleSet" in head or "DOCTYPE PubmedArticleSet" in head

    def read(self, path: Path) -> Iterator[SourceDocument | IngestProblem]:
        try:
            with path.open("rb") as raw:
                if _is_gzip(path):
                    with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                        yield from iter_pubmed_xml(unzipped, str(path))
                else:
                    yield from iter_pubmed_xml(raw, str(path))
        except OSError as exc:
            raise SourceFormatError(f"{path}: cannot be opened ({exc})") from exc
