"""MedlinePlus health topics XML (NLM's ``mplus_topics_YYYY-MM-DD.xml``): patient education.

One ``<health-topic>`` becomes one patient-education source (``medlineplus:<id>``). Its
``<full-summary>`` (escaped HTML) becomes sections: each ``<h3>`` question heads the paragraphs and
``"- "`` list items after it. The topic's other names — ``also-called``, ``see-reference`` and its
MeSH descriptors — are kept as the source's topics, which also feed question analysis (see
:mod:`curbside.kb.synonyms`: a patient's word → the topic). Groups, related topics and the primary
NIH institute go into ``identifiers.other``. Spanish topics are read too (language ``es``).

The summaries are written by NLM and are in the public domain; the file is streamed, so the full
~30 MB file of some 2,000 topics reads in flat memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

from curbside.domain import Audience, EvidenceLevel, Identifiers, Section, Source, SourceDocument, SourceKind
from curbside.errors import SourceFormatError
from curbside.ingest.base import IngestProblem, file_head
from curbside.text import LIST_ITEM, normalize_space

LICENSE = "Public domain (MedlinePlus health topic summary written by the U.S. National Library of Medicine)"
ATTRIBUTION = "MedlinePlus health topics, U.S. National Library of Medicine (medlineplus.gov)"
PUBLISHER = "MedlinePlus, U.S. National Library of Medicine"
_LANGUAGES = {"english": "en", "spanish": "es"}


def _node_text(node: LexborNode) -> str:
    return normalize_space(node.text(deep=True, separator=""))


def summary_sections(html: str, title: str) -> list[Section]:
    """The summary's paragraphs and list items under its ``<h3>`` headings."""
    tree = LexborHTMLParser(html)
    body = tree.body
    sections: list[Section] = []
    heading = ""
    lines: list[str] = []

    def flush() -> None:
        if lines:
            sections.append(Section(headings=[title, heading] if heading else [title], text="\n".join(lines)))

    for node in (body.iter(include_text=False) if body is not None else []):
        tag = node.tag
        if tag in ("h2", "h3", "h4"):
            flush()
            heading, lines = _node_text(node), []
        elif tag in ("ul", "ol"):
            lines.extend(LIST_ITEM + t for li in node.iter(include_text=False) if li.tag == "li" and (t := _node_text(li)))
        else:
            text = _node_text(node)
            if text:
                lines.append(text)
    flush()
    return sections


def _topic(el: etree._Element, origin: str) -> SourceDocument | IngestProblem:
    topic_id, title = el.get("id", ""), normalize_space(el.get("title", ""))
    where = f"{origin}#topic-{topic_id}"
    if not topic_id or not title:
        return IngestProblem(where, "health topic without an id or a title")
    summary = el.findtext("full-summary") or ""
    sections = summary_sections(summary, title) if summary.strip() else []
    if not sections:
        return IngestProblem(where, "health topic without a summary")
    names = [normalize_space(e.text or "") for e in el.iterfind("also-called")]
    names += [normalize_space(e.text or "") for e in el.iterfind("see-reference")]
    mesh = [normalize_space(d.text or "") for d in el.iterfind("mesh-heading/descriptor")]
    groups = [normalize_space(g.text or "") for g in el.iterfind("group")]
    related = [normalize_space(r.text or "") for r in el.iterfind("related-topic")]
    institute = normalize_space(el.findtext("primary-institute") or "")
    other = {"medlineplus_id": topic_id}
    if groups:
        other["groups"] = "; ".join(groups)
    if related:
        other["related_topics"] = "; ".join(related)
    if institute:
        other["primary_institute"] = institute
    if mesh:
        other["mesh"] = "; ".join(mesh)
    topics = list(dict.fromkeys(t for t in [title, *names, *mesh] if t))
    source = Source(
        id=f"medlineplus:{topic_id}", kind=SourceKind.PATIENT_EDUCATION, title=title, publisher=PUBLISHER,
        url=el.get("url", ""), identifiers=Identifiers(other=other), license=LICENSE, attribution=ATTRIBUTION,
        audience=Audience.PATIENT, language=_LANGUAGES.get(el.get("language", "").lower(), "en"),
        evidence_level=EvidenceLevel.EXPERT, topics=topics[:30], collection="medlineplus",
    )
    return SourceDocument(source=source, sections=sections, origin=where)


class MedlinePlusAdapter:
    name = "medlineplus"

    def can_read(self, path: Path) -> bool:
        return b"<health-topics" in file_head(path, {".xml"}, 1000)

    def read(self, path: Path) -> Iterator[SourceDocument | IngestProblem]:
        try:
            for _, el in etree.iterparse(str(path), events=("end",), tag="health-topic", resolve_entities=False,
                                         load_dtd=False, no_network=True, huge_tree=False):
                yield _topic(el, str(path))
                el.clear()
                while el.getprevious() is not None:
                    del el.getparent()[0]
        except etree.XMLSyntaxError as exc:
            raise SourceFormatError(f"{path}: not well-formed MedlinePlus XML ({exc})") from exc
