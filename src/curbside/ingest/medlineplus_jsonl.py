"""MedlinePlus health topics as JSON lines: one line per chunk of a topic's summary.

The form ``scripts/build_starter_pack.py`` writes from the June 2024 MedlinePlus snapshot it reads
(a pickle it never loads as such: see that script). Each line is one chunk of one topic, in order::

    {"id": "6308", "title": "A1C", "url": "https://medlineplus.gov/a1c.html", "language": "English",
     "chunk": 0, "text": "A1C is a blood test …", "meta_description": "…"}

A topic becomes one patient-education source with the id the XML adapter gives it
(``medlineplus:<id>``, :mod:`curbside.ingest.medlineplus`), so NLM's XML file of the same topics
replaces it. Its chunks are joined again (any overlap between neighbours removed) and split into
sections at the summary's own question headings ("What are the treatments for …?"); lines after a
lead-in ending in ":" become list items; a closing credit line ("NIH: National Institute of …") is
kept as the topic's institute rather than as text. The summaries are public domain (NLM).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from curbside.domain import Audience, EvidenceLevel, Identifiers, Section, Source, SourceDocument, SourceKind
from curbside.errors import SourceFormatError
from curbside.ingest.base import IngestProblem, file_head
from curbside.ingest.medlineplus import ATTRIBUTION, LICENSE, PUBLISHER
from curbside.text import LIST_ITEM, normalize_space

_LANGUAGES = {"english": "en", "spanish": "es"}
_FIELDS = ("title", "url", "text", "chunk")
_QUESTION_LINE = re.compile(r"^[A-Z][^.!]{2,200}\?$")
_SENTENCE_END = re.compile(r"[.!?:;)\"”]$")
_MIN_OVERLAP = 20


def _join(chunks: list[str]) -> str:
    """Chunks of one text in order, without the text neighbours repeat (a splitter's overlap)."""
    out = ""
    for chunk in chunks:
        overlap = 0
        for size in range(min(len(out), len(chunk), 2000), _MIN_OVERLAP - 1, -1):
            if out.endswith(chunk[:size]):
                overlap = size
                break
        out = out + chunk[overlap:] if overlap else (f"{out}\n{chunk}" if out else chunk)
    return out


def _credit(lines: list[str]) -> tuple[list[str], str]:
    """The lines without a closing credit line ("NIH: National Institute of …"), and the credit."""
    if lines and (lines[-1].startswith(("NIH:", "NIH ")) or (
            len(lines[-1].split()) <= 12 and not _SENTENCE_END.search(lines[-1]) and len(lines) > 1
            and lines[-2] == "")):
        return lines[:-1], lines[-1]
    return lines, ""


def topic_sections(text: str, title: str) -> tuple[list[Section], str]:
    """A summary's sections (under its question headings) and its credit line."""
    raw = [normalize_space(line) for line in text.replace("\r", "").split("\n")]
    while raw and not raw[-1]:
        raw.pop()
    lines, credit = _credit(raw)
    sections: list[Section] = []
    heading, body, listing = "", list[str](), False

    def flush() -> None:
        if body:
            sections.append(Section(headings=[title, heading] if heading else [title], text="\n".join(body)))

    for line in lines:
        if not line:
            continue
        if _QUESTION_LINE.match(line) and len(line.split()) <= 25:
            flush()
            heading, body, listing = line, [], False
            continue
        item = listing and not _SENTENCE_END.search(line) and len(line.split()) <= 30
        body.append(LIST_ITEM + line if item else line)
        listing = line.endswith(":") or item
    flush()
    return sections, credit


def _topic(records: list[dict[str, Any]], where: str) -> SourceDocument | IngestProblem:
    first = records[0]
    topic_id, title = str(first.get("id") or "").strip(), normalize_space(str(first.get("title") or ""))
    url = str(first.get("url") or "")
    if not title or not url:
        return IngestProblem(where, "MedlinePlus topic without a title or URL")
    records.sort(key=lambda r: r["chunk"])
    sections, credit = topic_sections(_join([str(r.get("text") or "") for r in records]), title)
    if not sections:
        return IngestProblem(where, "MedlinePlus topic without text")
    key = topic_id or url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
    other = {"medlineplus_id": key}
    if credit:
        other["primary_institute"] = credit.removeprefix("NIH:").strip()
    if description := normalize_space(str(first.get("meta_description") or "")):
        other["meta_description"] = description
    source = Source(
        id=f"medlineplus:{key}", kind=SourceKind.PATIENT_EDUCATION, title=title, publisher=PUBLISHER, url=url,
        identifiers=Identifiers(other=other), license=LICENSE, attribution=ATTRIBUTION, audience=Audience.PATIENT,
        language=_LANGUAGES.get(str(first.get("language") or "").lower(), "en"),
        evidence_level=EvidenceLevel.EXPERT, topics=[title], collection="medlineplus",
    )
    return SourceDocument(source=source, sections=sections, origin=where)


def _is_record(value: Any) -> bool:
    return isinstance(value, dict) and all(k in value for k in _FIELDS) and isinstance(value["chunk"], int) \
        and "medlineplus.gov" in str(value["url"])


class MedlinePlusJSONLAdapter:
    """``*.jsonl`` of MedlinePlus topic chunks (what the starter-pack build writes)."""

    name = "medlineplus-jsonl"

    def can_read(self, path: Path) -> bool:
        line = file_head(path, {".jsonl"}, 64 * 1024).split(b"\n", 1)[0]
        try:
            return _is_record(json.loads(line))
        except ValueError:
            return False

    def read(self, path: Path) -> Iterator[SourceDocument | IngestProblem]:
        topics: dict[str, list[dict[str, Any]]] = {}
        with path.open("r", encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    if number == 1:
                        raise SourceFormatError(f"{path}: not MedlinePlus JSON lines ({exc})") from exc
                    yield IngestProblem(where, f"not JSON: {exc}")
                    continue
                if not _is_record(record):
                    yield IngestProblem(where, "not a MedlinePlus topic chunk (title, url, text, chunk)")
                    continue
                topics.setdefault(str(record["url"]), []).append(record)
        for url, records in topics.items():
            yield _topic(records, f"{path}#{url}")
