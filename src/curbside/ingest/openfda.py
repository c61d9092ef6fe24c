"""openFDA drug labels (``drug/label``) as JSON: API responses, bulk download files, single labels.

Three shapes are read: an API response or a bulk download file (``{"meta": …, "results": [label,
…]}``, the bulk files also zipped, ``drug-label-0001-of-0013.json.zip``), a bare list of labels, and
one label object. The ``results`` array is read one label at a time, so a bulk file of ~20,000
labels needs the memory of one label, not of the file.

One label becomes one drug-label source with the id ``dailymed:<set_id>`` — the id
:mod:`curbside.ingest.dailymed` gives the same label read from its SPL XML, so a later
``curbside kb pull dailymed NAME`` replaces it — titled "Brand (generic)", its manufacturer as
publisher, the effective date's year, version, route, application number and a DailyMed link; its
brand, generic and substance names are its topics (see :mod:`curbside.kb.synonyms`: "Lipitor" names
atorvastatin). A label openFDA could not match to a product (no ``openfda`` names) is reported and
skipped: nothing would find it by name.

Sections: the ones :mod:`curbside.ingest.label_sections` lists, in label order, typed by it
(``Section.kind``); text cleaned by :mod:`curbside.ingest.label_text` (numbers, titles and
cross-references removed, tables back in place as " | " rows, split at numbered subsections).
openFDA repeats a subsection inside its parent (``use_in_specific_populations`` holds
``pregnancy`` …); the parent keeps only what no typed child holds. Patient-facing sections
(Medication Guide, patient package insert, patient counseling information) are split at their
question headings and typed by them; their heading path starts with the section's name ("Medication
Guide"), which marks them as written for patients.

openFDA data is public domain (CC0, https://open.fda.gov/license/); label text is an FDA record.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from curbside.domain import Audience, EvidenceLevel, Identifiers, Section, Source, SourceDocument, SourceKind
from curbside.errors import SourceFormatError
from curbside.ingest.base import IngestProblem
from curbside.ingest.label_sections import (
    LABEL_SECTIONS,
    LabelSection,
    question_kind,
    question_parts,
    subsection_kind,
)
from curbside.ingest.label_text import (
    Table,
    clean_references,
    expand_tables,
    numbered_parts,
    parse_table,
    place_tables,
    strip_title,
)
from curbside.text import normalize_space

LICENSE = "Public domain (U.S. FDA drug label; openFDA data, CC0 1.0: https://open.fda.gov/license/)"
ATTRIBUTION = "Drug label from openFDA (U.S. Food and Drug Administration, drug/label), as published on DailyMed"
LABEL_URL = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}"
COLLECTION = "openfda"
MAX_MEMBER_BYTES = 4 * 1024 * 1024 * 1024
_CHUNK = 1 << 20


# --- streaming JSON: one label at a time -------------------------------------------------------

class _Stream:
    """A text stream read through ``json.JSONDecoder.raw_decode``, value by value."""

    def __init__(self, fh: IO[str], origin: str) -> None:
        self.fh, self.origin = fh, origin
        self.buf, self.pos, self.eof = "", 0, False
        self.decoder = json.JSONDecoder()

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.fh.read(_CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def expect(self, chars: str) -> str:
        char = self.peek()
        if not char or char not in chars:
            raise SourceFormatError(f"{self.origin}: not openFDA label JSON (expected {chars!r}, found {char!r})")
        self.pos += 1
        return char

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # Incomplete while the error is at the buffer's end (or in a string running into it);
                # anywhere else, or at the end of the file, malformed.
                incomplete = exc.pos >= len(self.buf) - 64 or exc.msg.startswith("Unterminated string")
                if not incomplete or not self._more():
                    raise SourceFormatError(f"{self.origin}: malformed JSON ({exc.msg} at character {exc.pos})") from exc
                continue
            if end == len(self.buf) and not self.eof and self._more():  # a number may go on in the next chunk
                continue
            self.pos = end
            return value

    def array(self) -> Iterator[Any]:
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            if self.expect(",]") == "]":
                return


def _records(fh: IO[str], origin: str) -> Iterator[tuple[int, Any]]:
    """``(index, label)`` from a response or bulk file, a list of labels, or one label."""
    stream = _Stream(fh, origin)
    first = stream.peek()
    if first == "[":
        yield from enumerate(stream.array())
        return
    stream.expect("{")
    top: dict[str, Any] = {}
    saw_results = False
    if stream.peek() != "}":
        while True:
            key = stream.value()
            stream.expect(":")
            if key == "results" and stream.peek() == "[":
                saw_results = True
                yield from enumerate(stream.array())
            else:
                top[str(key)] = stream.value()
            if stream.expect(",}") == "}":
                break
    if stream.peek():
        raise SourceFormatError(f"{origin}: unexpected text after the JSON object")
    if not saw_results:
        if "set_id" not in top and "openfda" not in top:
            raise SourceFormatError(f"{origin}: neither an openFDA response (no 'results') nor a drug label")
        yield 0, top


# --- one label -----------------------------------------------------------------------------------

def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _names(openfda: dict[str, Any], key: str) -> list[str]:
    return list(dict.fromkeys(normalize_space(v) for v in _strings(openfda.get(key)) if v.strip()))


def _display(name: str) -> str:
    """A name printed in capitals in title case ("LIPITOR" → "Lipitor"); others as they are."""
    return name.title() if name.isupper() else name


def label_title(brand: str, generic: str) -> str:
    """"Brand (generic)": "Lipitor (atorvastatin calcium)"; one name when they are the same."""
    if not brand:
        return generic.lower()
    if not generic or generic.lower() == brand.lower():
        return _display(brand)
    return f"{_display(brand)} ({generic.lower()})"


def _section_texts(label: dict[str, Any]) -> list[tuple[LabelSection, str]]:
    """The label's sections' flat texts, each without the text of a smaller section it repeats."""
    texts = [(s, normalize_space(" ".join(_strings(label.get(s.field))))) for s in LABEL_SECTIONS]
    texts = [(s, t) for s, t in texts if t]
    out = []
    for section, text in texts:
        for _, other in sorted(texts, key=lambda st: -len(st[1])):
            if len(other) < len(text) and len(other) > 30 and other in text:
                text = text.replace(other, " ")
        out.append((section, normalize_space(text)))
    return out


def _tables(label: dict[str, Any]) -> tuple[list[Table], dict[str, list[int]]]:
    tables: list[Table] = []
    by_field: dict[str, list[int]] = {}
    seen: dict[tuple[str, ...], int] = {}
    for key, value in label.items():
        if not key.endswith("_table"):
            continue
        for html in _strings(value):
            table = parse_table(html)
            if table is None:
                continue
            index = seen.setdefault(table.lines, len(tables))
            if index == len(tables):
                tables.append(table)
            by_field.setdefault(key.removesuffix("_table"), []).append(index)
    return tables, by_field


def _name_words(label: dict[str, Any]) -> frozenset[str]:
    openfda = _dict(label.get("openfda"))
    names = [*_names(openfda, "brand_name"), *_names(openfda, "generic_name")]
    return frozenset(w.lower().rstrip("®™*") for n in names for w in n.split())


def label_sections(label: dict[str, Any]) -> list[Section]:
    """One label's sections: headed, typed, cleaned, tables as rows."""
    tables, by_field = _tables(label)
    names = _name_words(label)
    placed: set[int] = set()
    texts = [(s, place_tables(t, tables, placed)) for s, t in _section_texts(label)]
    sections: list[Section] = []
    for spec, raw in texts:
        titles = (spec.heading, spec.field.replace("_", " "), *spec.aliases)
        number, caps, text = strip_title(clean_references(raw), titles)
        top = [spec.heading, caps] if caps else [spec.heading]
        # a Medication Guide laid out as a table holds its question headings in the table's cells
        parts = question_parts(expand_tables(text, tables)) if spec.patient else []
        if len(parts) > 1 or (parts and parts[0][0]):
            for question, body in parts:
                kind = question_kind(question) if question else spec.kind
                sections.append(Section(headings=[*top, question] if question else top, text=body, kind=kind))
            continue
        for title, body in numbered_parts(text, number, names):
            body = expand_tables(body, tables)
            if body:
                kind = (subsection_kind(title) or spec.kind) if title else spec.kind
                sections.append(Section(headings=[spec.heading, title] if title else top, text=body, kind=kind))
        for index in by_field.get(spec.field, []):  # a table whose cells the text did not hold
            if index not in placed:
                placed.add(index)
                sections.append(Section(headings=[spec.heading, "Table"], text="\n".join(tables[index].lines),
                                        kind=spec.kind))
    return sections


def parse_label(label: Any, origin: str) -> SourceDocument | IngestProblem:
    """One openFDA label object as a source and its sections."""
    if not isinstance(label, dict):
        return IngestProblem(origin, f"a label must be a JSON object, not {type(label).__name__}")
    openfda = _dict(label.get("openfda"))
    set_id = _str(label.get("set_id")) or next(iter(_strings(openfda.get("spl_set_id"))), "")
    if not set_id:
        return IngestProblem(origin, "label without a set_id")
    where = f"{origin}#{set_id}"
    brands, generics = _names(openfda, "brand_name"), _names(openfda, "generic_name")
    substances = _names(openfda, "substance_name")
    if not brands and not generics:
        return IngestProblem(where, "label without brand or generic names (openFDA did not match it to a product)")
    sections = label_sections(label)
    if not sections:
        return IngestProblem(where, "none of the label sections this adapter reads")
    effective, version = _str(label.get("effective_time")), _str(label.get("version"))
    other = {"spl_set_id": set_id}
    for key, value in (("spl_id", label.get("id")), ("spl_version", version), ("effective_date", effective[:8])):
        if isinstance(value, str) and value:
            other[key] = value
    for key in ("application_number", "product_type", "route", "rxcui", "unii", "pharm_class_epc"):
        if names := _names(openfda, key):
            other[key] = "; ".join(names[:10])
    topics = [*brands, *generics, *substances]
    topics = list(dict.fromkeys(t.lower() for t in topics))
    source = Source(
        id=f"dailymed:{set_id}", kind=SourceKind.DRUG_LABEL,
        title=label_title(brands[0] if brands else "", generics[0] if generics else ""),
        publisher=next(iter(_names(openfda, "manufacturer_name")), "") or "openFDA",
        year=int(effective[:4]) if effective[:4].isdigit() else None, url=LABEL_URL.format(set_id=set_id),
        identifiers=Identifiers(other=other), license=LICENSE, attribution=ATTRIBUTION, audience=Audience.BOTH,
        evidence_level=EvidenceLevel.EXPERT, publication_types=["Drug label"], topics=topics[:20],
        collection=COLLECTION,
    )
    return SourceDocument(source=source, sections=sections, origin=where)


# --- files ----------------------------------------------------------------------------------------

def _read_stream(fh: IO[str], origin: str) -> Iterator[SourceDocument | IngestProblem]:
    for index, label in _records(fh, origin):
        yield parse_label(label, f"{origin}[{index}]")


def _looks_like_labels(head: bytes) -> bool:
    text = head.decode("utf-8", "ignore")
    return ('"results"' in text and ('"meta"' in text or '"set_id"' in text or '"openfda"' in text)) or (
        '"set_id"' in text and ('"openfda"' in text or '"effective_time"' in text or '"spl_product_data_elements"' in text))


def _json_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [i for i in archive.infolist() if not i.is_dir() and i.filename.lower().endswith(".json")]


class OpenFDALabelAdapter:
    """openFDA ``drug/label`` JSON: ``.json`` files and zips of them (the bulk download)."""

    name = "openfda"

    def can_read(self, path: Path) -> bool:
        suffix = path.suffix.lower()
        try:
            if suffix == ".json":
                with path.open("rb") as fh:
                    return _looks_like_labels(fh.read(64 * 1024))
            if suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    members = _json_members(archive)
                    if not members:
                        return False
                    with archive.open(members[0]) as fh:
                        return _looks_like_labels(fh.read(64 * 1024))
        except (OSError, zipfile.BadZipFile, RuntimeError):
            return False
        return False

    def read(self, path: Path) -> Iterator[SourceDocument | IngestProblem]:
        if path.suffix.lower() != ".zip":
            with path.open("r", encoding="utf-8") as fh:
                yield from _read_stream(fh, str(path))
            return
        try:
            with zipfile.ZipFile(path) as archive:
                for info in _json_members(archive):
                    where = f"{path}!{info.filename}"
                    if info.file_size > MAX_MEMBER_BYTES:
                        yield IngestProblem(where, f"skipped: {info.file_size:,} bytes is over the {MAX_MEMBER_BYTES:,} limit")
                        continue
                    try:
                        with archive.open(info) as raw:
                            yield from _read_stream(io.TextIOWrapper(raw, encoding="utf-8"), where)
                    except SourceFormatError as exc:
                        yield IngestProblem(where, exc.message)
        except zipfile.BadZipFile as exc:
            raise SourceFormatError(f"{path}: not a readable zip ({exc})") from exc
