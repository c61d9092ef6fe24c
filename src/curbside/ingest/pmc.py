"""PubMed Central open-access articles: JATS XML (``.nxml``, as in PMC's OA packages).

One ``<article>`` becomes one source ``pmc:PMC<n>`` (PMID and DOI kept as identifiers) whose
sections are the abstract's and the body's ``<sec>`` hierarchy, headed by their title path
("Methods > Bacterial strains"). Paragraphs become lines, ``<list-item>`` → ``"- "`` items;
figures, tables, formulas and the reference list are left out, and citation call-outs
(``<xref ref-type="bibr">``) are dropped so their numbers never look like curbside's own markers.

Licence per article, from ``<permissions><license>``: the Creative Commons URL when the article
gives one ("CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"), else the licence text.
An article with no licence statement is reported, not loaded — PMC's open-access subset always
carries one, and without it the text may not be reused.

Parsing never resolves entities, loads the DTD or touches the network (PMC files use numeric
character references only).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from curbside.domain import Audience, EvidenceLevel, Identifiers, Section, Source, SourceDocument, SourceKind
from curbside.errors import SourceFormatError
from curbside.ingest.base import IngestProblem, file_head
from curbside.text import LIST_ITEM, normalize_space

XLINK = "{http://www.w3.org/1999/xlink}href"
_SKIP = {"fig", "table-wrap", "disp-formula", "ref-list", "fn-group", "supplementary-material", "graphic",
         "media", "table-wrap-foot", "label", "title", "object-id", "alternatives"}
_CC = re.compile(r"creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d\.\d)", re.I)
_EMPTY_BRACKETS = re.compile(r"\s*[\[(][\s,;–-]*[\])]")
_LEVELS = {"review-article": EvidenceLevel.REVIEW, "systematic-review": EvidenceLevel.SYSTEMATIC_REVIEW,
           "case-report": EvidenceLevel.CASE_REPORT, "practice-guideline": EvidenceLevel.GUIDELINE}


def _text(el: etree._Element) -> str:
    """Inline text of an element without citation call-outs, footnote marks or formulas."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        skip = (tag == "xref" and node.get("ref-type") in ("bibr", "fn", "table-fn")) or tag in (
            "inline-formula", "disp-formula", "fig", "table-wrap")
        if not skip:
            parts.append(node.text or "")
            for child in node:
                walk(child)
        if node is not el:
            parts.append(node.tail or "")

    walk(el)
    text = _EMPTY_BRACKETS.sub("", "".join(parts))
    return normalize_space(re.sub(r"\s+([,.;:])", r"\1", text))


def _lines(container: etree._Element) -> list[str]:
    lines: list[str] = []
    for child in container:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "p":
            nested = [n for n in child if isinstance(n.tag, str) and n.tag == "list"]
            for n in nested:  # a list inside a paragraph: the paragraph's text, then its items
                child.remove(n)
            if text := _text(child):
                lines.append(text)
            for n in nested:
                lines.extend(_lines(n))
        elif tag == "list":
            for item in child.iterfind("list-item"):
                item_lines = _lines(item)
                if item_lines:
                    lines.append(LIST_ITEM + item_lines[0].removeprefix(LIST_ITEM))
                    lines.extend(item_lines[1:])
        elif tag in ("disp-quote", "boxed-text", "statement"):
            lines.extend(_lines(child))
    return lines


def _sections(el: etree._Element, headings: list[str], out: list[Section]) -> None:
    own = _lines(el)
    if own:
        out.append(Section(headings=headings, text="\n".join(own)))
    for sec in el.iterfind("sec"):
        title_el = sec.find("title")
        title = _text(title_el) if title_el is not None else ""
        _sections(sec, [*headings, title] if title else headings, out)


def _license(meta: etree._Element) -> str:
    lic = meta.find("permissions/license")
    if lic is None:
        return ""
    href = lic.get(XLINK, "")
    text = " ".join(_text(p) for p in lic.iterfind("license-p"))
    for candidate in (href, text):
        match = _CC.search(candidate)
        if match:
            kind = match.group(2).upper()
            name = "CC0" if kind == "ZERO" else f"CC {kind}"
            url = f"https://creativecommons.org/{match.group(1).lower()}/{match.group(2).lower()}/{match.group(3)}/"
            return f"{name} {match.group(3)} ({url})"
    if "creative commons attribution license" in text.lower():
        return f"CC BY (as the article states: {text[:200]})"
    return text[:300] or lic.get("license-type", "")


def parse_article(root: etree._Element, origin: str) -> SourceDocument | IngestProblem:
    meta = root.find("front/article-meta")
    if meta is None:
        raise SourceFormatError(f"{origin}: JATS <article> without <front><article-meta>")
    ids = {a.get("pub-id-type", ""): normalize_space(a.text or "") for a in meta.iterfind("article-id")}
    pmc = ids.get("pmc") or ids.get("pmcid", "")
    pmcid = pmc if pmc.upper().startswith("PMC") else (f"PMC{pmc}" if pmc else "")
    title_el = meta.find("title-group/article-title")
    title = _text(title_el) if title_el is not None else ""
    where = f"{origin} ({pmcid or ids.get('doi', 'no id')})"
    if not pmcid:
        return IngestProblem(where, "article without a PMC id")
    license_ = _license(meta)
    if not license_:
        return IngestProblem(where, "no licence statement in <permissions>; not loaded")
    sections: list[Section] = []
    for abstract in meta.iterfind("abstract"):
        if abstract.get("abstract-type") in (None, ""):
            _sections(abstract, ["Abstract"], sections)
    body = root.find("body")
    if body is not None:
        _sections(body, [], sections)
    if not sections:
        return IngestProblem(where, "no abstract or body text")
    years = [y.text for y in meta.iterfind("pub-date/year") if y.text and y.text.strip().isdigit()]
    journal = normalize_space("".join(root.findtext("front/journal-meta/journal-title-group/journal-title") or ""))
    keywords = [_text(k) for k in meta.iterfind("kwd-group/kwd")]
    subjects = [_text(s) for s in meta.iterfind("article-categories/subj-group/subject")]
    article_type = root.get("article-type", "")
    source = Source(
        id=f"pmc:{pmcid}", kind=SourceKind.RESEARCH_ARTICLE, title=title or pmcid, publisher=journal,
        year=min(int(y) for y in years) if years else None, url=f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/",
        identifiers=Identifiers(pmid=ids.get("pmid") or None, doi=ids.get("doi") or None, pmcid=pmcid),
        license=license_, attribution=f"Full text from PubMed Central ({pmcid}); licence as stated by the article",
        audience=Audience.CLINICIAN, evidence_level=_LEVELS.get(article_type, EvidenceLevel.UNKNOWN),
        publication_types=[s for s in subjects if s][:5], topics=[k for k in keywords if k][:20], collection="pmc",
    )
    return SourceDocument(source=source, sections=sections, origin=where)


class PMCAdapter:
    name = "pmc"

    def can_read(self, path: Path) -> bool:
        head = file_head(path, {".nxml", ".xml"}, 4000)
        return b"<article" in head and (b"JATS" in head or b"journal-meta" in head or b"article-meta" in head)

    def read(self, path: Path) -> Iterator[SourceDocument | IngestProblem]:
        try:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
            root = etree.parse(str(path), parser).getroot()
        except (etree.XMLSyntaxError, OSError) as exc:
            raise SourceFormatError(f"{path}: not well-formed JATS XML ({exc})") from exc
        if root.tag != "article":
            raise SourceFormatError(f"{path}: root element is <{root.tag}>, expected a JATS <article>")
        yield parse_article(root, str(path))
