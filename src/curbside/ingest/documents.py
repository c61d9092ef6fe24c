"""Local documents (institutional guidelines, handouts): Markdown, HTML and PDF files.

* **Markdown** may start with YAML front matter (``title``, ``kind``, ``evidence_level``,
  ``publisher``, ``year``, ``url``, ``audience``, ``license``, ``attribution``, ``doi``, ``pmid``,
  ``language``, ``topics``); sections follow the headings, each keeping its heading path
  (H1 > H2 > H3); every paragraph, list item and table row ends as a sentence of its own.
* **HTML** is only read for its text: scripts, styles, navigation and footers are dropped, nothing
  is executed; sections follow ``h1``–``h4``. The title is ``<title>``, else the first ``h1``.
* **PDF** text is read page by page with pypdf; the outline (bookmarks) gives the headings when
  the file has one, else each page is a section headed "Page N". A PDF that needs a password,
  or cannot be parsed, raises SourceFormatError. (A PDF encrypted with an empty user password,
  which any viewer opens without asking, is read.)

Every file becomes one source ``doc:<first 16 hex digits of the SHA-256 of its bytes>`` in the
``local`` collection: adding the same file again (under any name) adds nothing, and an edited file
is a new source. Without front matter a document is a research article (evidence level unknown)
for clinicians, titled by its first H1 (or ``<title>``, or PDF metadata) or else its file name.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler
from markdown_it import MarkdownIt
from markdown_it.token import Token
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from curbside.domain import (
    Audience,
    EvidenceLevel,
    Identifiers,
    Section,
    Source,
    SourceDocument,
    SourceKind,
)
from curbside.errors import SourceFormatError
from curbside.ingest.base import IngestProblem
from curbside.ingest.html_text import SectionBuilder, html_meta, html_sections
from curbside.ingest.pdf_text import pdf_sections
from curbside.text import normalize_space

MAX_BYTES = 50 * 1024 * 1024
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}

#: Evidence level implied by a kind when the front matter names none.
KIND_EVIDENCE: dict[SourceKind, EvidenceLevel] = {
    SourceKind.GUIDELINE: EvidenceLevel.GUIDELINE,
    SourceKind.SYSTEMATIC_REVIEW: EvidenceLevel.SYSTEMATIC_REVIEW,
    SourceKind.TRIAL: EvidenceLevel.RCT,
    SourceKind.RESEARCH_ARTICLE: EvidenceLevel.UNKNOWN,
    SourceKind.PATIENT_EDUCATION: EvidenceLevel.EXPERT,
    SourceKind.CONSULT: EvidenceLevel.EXPERT,
    SourceKind.BOARD_REVIEWED: EvidenceLevel.EXPERT,
}

#: Kinds a file may not claim: only the approval workflow creates board-reviewed sources, and only
#: the consult workflow creates consults (a doctor's reply shown under the doctor's name).
RESERVED_KINDS = frozenset({SourceKind.BOARD_REVIEWED, SourceKind.CONSULT})
_MADE_BY = {SourceKind.BOARD_REVIEWED: "the advisory board's approval workflow",
            SourceKind.CONSULT: "the consult board's workflow (`curbside consult`)"}

_MD = MarkdownIt("commonmark").enable("table")


class FrontMatter(BaseModel):
    """What a Markdown file may say about itself (unknown keys are ignored)."""

    model_config = ConfigDict(extra="ignore")

    title: str = ""
    kind: SourceKind = SourceKind.RESEARCH_ARTICLE
    evidence_level: EvidenceLevel | None = None
    publisher: str = ""
    year: int | None = Field(None, ge=1000, le=2200)
    url: str = ""
    audience: Audience = Audience.CLINICIAN
    license: str = ""
    attribution: str = ""
    doi: str | None = None
    pmid: str | None = None
    language: str = "en"
    topics: list[str] = Field(default_factory=list, max_length=200)

    @field_validator("title", "publisher", "url", "license", "attribution", "doi", "pmid",
                     "language", mode="before")
    @classmethod
    def _scalar_to_str(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value

    @field_validator("kind", "evidence_level", "audience", mode="before")
    @classmethod
    def _enum_name(cls, value: Any) -> Any:
        if isinstance(value, str):
            return re.sub(r"[\s-]+", "_", value.strip().lower())
        return value

    @field_validator("kind")
    @classmethod
    def _not_reserved(cls, value: SourceKind) -> SourceKind:
        if value in RESERVED_KINDS:
            raise ValueError(f"'{value.value}' sources are made only by {_MADE_BY[value]}, never by a file")
        return value

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value: Any) -> Any:
        if hasattr(value, "year"):  # YAML reads 2021-05-01 as a date
            return value.year
        if isinstance(value, str) and re.match(r"^\d{4}\b", value.strip()):
            return int(value.strip()[:4])
        return value

    @field_validator("topics", mode="before")
    @classmethod
    def _topics(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [t.strip() for t in value.split(",") if t.strip()]
        return value


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader without anchors and aliases (no "billion laughs" through aliases)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("YAML aliases are not allowed in front matter")
        return super().compose_node(parent, index)


class _YAMLHandler(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        data = yaml.load(fm, Loader=_NoAliasLoader)
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise ValueError("the front matter must be a YAML mapping (key: value lines)")
        return data


#: Share of control characters (other than tab, newlines, form feed) past which decoded bytes are not text.
_MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def _decode(data: bytes, path: Path | None = None) -> str:
    """The text of a Markdown or HTML file: UTF-8, else Windows-1252, else what charset-normalizer detects.

    Bytes that are not text (an image or archive renamed ``.md``, a NUL byte, control characters)
    are refused: indexed, they would be thousands of garbage passages."""
    where = f"{path}: " if path is not None else ""
    refusal = (f"{where}not a text file (binary content: {{why}}); a Markdown or HTML file must be text, "
               "e.g. UTF-8 — convert it or give the original document")
    if b"\x00" in data[:65536]:
        raise SourceFormatError(refusal.format(why="NUL bytes"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # the usual non-UTF-8 text (Windows)
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(data[:1_000_000]).best()
            if best is None:
                raise SourceFormatError(refusal.format(why="no text encoding fits")) from None
            text = data.decode(best.encoding, errors="replace")
    sample = text[:200_000]
    controls = len(_CONTROL.findall(sample))
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        raise SourceFormatError(refusal.format(why=f"{controls:,} control characters in {len(sample):,}"))
    return text


# --- Markdown ---------------------------------------------------------------------------------


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(" ".join(c.content for c in child.children or []))
    return normalize_space("".join(parts))


def markdown_sections(content: str) -> tuple[list[Section], str]:
    """Sections of a Markdown text and its first H1."""
    out = SectionBuilder()
    heading_level = 0
    row: list[str] | None = None
    for token in _MD.parse(content):
        kind = token.type
        if kind == "heading_open":
            heading_level = int(token.tag[1:])
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "inline":
            text = _inline_text(token)
            if heading_level:
                out.heading(heading_level, text)
            elif row is not None:
                row.append(text)
            else:
                out.block(text)
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            out.block("; ".join(cell for cell in row if cell))
            row = None
        elif kind in ("fence", "code_block"):
            out.block(token.content, sentence=False)
        elif kind == "html_block":
            for section in html_sections(token.content)[0]:
                out.block(section.text)
    out.flush()
    return out.sections, out.first_h1


# --- the adapter ------------------------------------------------------------------------------


def _front_matter(text: str, path: Path) -> tuple[FrontMatter, str]:
    try:
        post = frontmatter.loads(text, handler=_YAMLHandler()) if text.startswith("---") else None
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise SourceFormatError(f"{path}: the YAML front matter cannot be read ({exc})") from exc
    if post is None:
        return FrontMatter(), text
    try:
        return FrontMatter.model_validate(post.metadata), str(post.content)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        hint = ""
        if field == "kind":
            kinds = [k.value for k in SourceKind if k not in RESERVED_KINDS]
            hint = f" (one of: {', '.join(kinds)})"
        elif field == "evidence_level":
            hint = f" (one of: {', '.join(e.value for e in EvidenceLevel)})"
        elif field == "audience":
            hint = f" (one of: {', '.join(a.value for a in Audience)})"
        raise SourceFormatError(
            f"{path}: front matter field '{field}': {first['msg']}{hint}") from exc


def _year(value: str) -> int | None:
    match = re.match(r"^\s*(\d{4})", value)
    year = int(match.group(1)) if match else None
    return year if year and 1000 <= year <= 2200 else None


class DocumentsAdapter:
    """Markdown, HTML and PDF files: one local source per file."""

    name = "documents"

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes

    def can_read(self, path: Path) -> bool:
        return path.suffix.lower() in MARKDOWN_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES

    def read(self, path: Path) -> Iterator[SourceDocument | IngestProblem]:
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                mib, limit = size / 1024 / 1024, self.max_bytes / 1024 / 1024
                raise SourceFormatError(
                    f"{path}: {mib:.1f} MB is over the {limit:.0f} MB limit for local documents; "
                    "split the file or extract the relevant chapters")
            data = path.read_bytes()
        except OSError as exc:
            raise SourceFormatError(f"{path}: cannot be read ({exc})") from exc
        suffix = path.suffix.lower()
        if suffix in PDF_SUFFIXES:
            meta, sections, fallback_title = self._pdf(data, path)
        elif suffix in HTML_SUFFIXES:
            meta, sections, fallback_title = self._html(_decode(data, path))
        else:
            meta, sections, fallback_title = self._markdown(_decode(data, path), path)
        if not sections:
            hint = " (a scanned PDF needs OCR first)" if suffix in PDF_SUFFIXES else ""
            yield IngestProblem(str(path), f"no text to index{hint}")
            return
        digest = hashlib.sha256(data).hexdigest()
        title = meta.title or fallback_title or _title_from_name(path)
        source = Source(
            id=f"doc:{digest[:16]}", kind=meta.kind, title=title, publisher=meta.publisher,
            year=meta.year, url=meta.url, license=meta.license,
            attribution=meta.attribution or meta.publisher, audience=meta.audience,
            language=meta.language or "en",
            evidence_level=meta.evidence_level or KIND_EVIDENCE[meta.kind],
            identifiers=Identifiers(doi=meta.doi or None, pmid=meta.pmid or None,
                                    other={"sha256": digest, "file": path.name}),
            topics=[normalize_space(t) for t in meta.topics if normalize_space(t)],
            collection="local",
        )
        yield SourceDocument(source=source, sections=sections, origin=str(path))

    def _markdown(self, text: str, path: Path) -> tuple[FrontMatter, list[Section], str]:
        meta, content = _front_matter(text, path)
        sections, first_h1 = markdown_sections(content)
        return meta, sections, first_h1

    def _html(self, html: str) -> tuple[FrontMatter, list[Section], str]:
        sections, title = html_sections(html)
        found = html_meta(html)
        publisher = (found.get("citation_publisher") or found.get("citation_journal_title")
                     or found.get("og:site_name") or "")
        date = (found.get("citation_publication_date") or found.get("citation_date")
                or found.get("dc.date") or "")
        keywords = found.get("citation_keywords") or found.get("keywords") or ""
        meta = FrontMatter(publisher=publisher, year=_year(date),
                           doi=found.get("citation_doi") or None,
                           pmid=found.get("citation_pmid") or None,
                           language=found.get("language", "en"),
                           topics=[k for k in re.split(r"\s*[;,]\s*", keywords) if k][:50])
        return meta, sections, title

    def _pdf(self, data: bytes, path: Path) -> tuple[FrontMatter, list[Section], str]:
        title, sections = pdf_sections(io.BytesIO(data), str(path))
        return FrontMatter(), sections, title


def _title_from_name(path: Path) -> str:
    return normalize_space(re.sub(r"[_-]+", " ", path.stem)) or path.name
