"""Text and sections of a PDF, with pypdf (used by the local documents adapter).

Headings come from the PDF's outline (bookmarks): each entry starts a section at its heading
text on its page (or at the top of that page when the heading text is not found there), and its
heading path follows the outline's nesting. Without an outline every page with text is a section
headed "Page N".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from curbside.domain import Section
from curbside.errors import SourceFormatError
from curbside.text import normalize_space

_MAX_OUTLINE_DEPTH = 6
_FILE_LIKE_TITLE = re.compile(r"(^microsoft (word|powerpoint) - )|(\.(docx?|pdf|pptx?|odt|rtf)$)",
                              re.IGNORECASE)


def _open(stream: IO[bytes], origin: str) -> PdfReader:
    try:
        reader = PdfReader(stream)
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceFormatError(f"{origin}: the PDF is password-protected; save a copy without "
                                    "a password (e.g. print it to PDF) and add that instead")
    except SourceFormatError:
        raise
    except (DependencyError, NotImplementedError) as exc:
        raise SourceFormatError(f"{origin}: the PDF is encrypted with a method this installation "
                                f"cannot open ({exc}); save an unencrypted copy") from exc
    except Exception as exc:  # pypdf raises many kinds of errors on broken input
        raise SourceFormatError(f"{origin}: not a readable PDF ({exc.__class__.__name__}: {exc}); "
                                "check that the file is complete") from exc
    return reader


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of each outline entry that points at a page."""

    def walk(items: list[Any], depth: int) -> Iterator[tuple[int, str, int]]:
        for item in items:
            if isinstance(item, list):
                if depth + 1 < _MAX_OUTLINE_DEPTH:
                    yield from walk(item, depth + 1)
                continue
            try:
                page = reader.get_destination_page_number(item)
            except Exception:  # a dangling bookmark: leave it out
                continue
            title = normalize_space(str(getattr(item, "title", "") or ""))
            if title and page is not None and page >= 0:
                yield depth, title, page

    try:
        return list(walk(list(reader.outline), 0))
    except Exception:  # a broken outline is no reason to lose the text
        return []


def _find(text: str, needle: str, start: int, end: int) -> int:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered.find(needle.lower(), start, end)
    return text.find(needle, start, end)


def _outline_sections(pages: list[str], entries: list[tuple[int, str, int]]) -> list[Section]:
    starts: list[int] = []
    position = 0
    for page_text in pages:
        starts.append(position)
        position += len(page_text) + 1
    text = " ".join(pages)
    marks: list[tuple[int, str, int, int]] = []  # depth, title, heading start, body start
    cursor = 0
    for depth, title, page in sorted(entries, key=lambda e: e[2]):
        if page >= len(pages):
            continue
        low = max(starts[page], cursor)
        found = _find(text, title, low, starts[page] + len(pages[page]))
        begin, body = (found, found + len(title)) if found >= 0 else (low, low)
        marks.append((depth, title, begin, body))
        cursor = body
    sections: list[Section] = []
    preamble = normalize_space(text[: marks[0][2]]) if marks else text
    if preamble:
        sections.append(Section(headings=[], text=preamble))
    path: list[str] = []
    for i, (depth, title, _, body) in enumerate(marks):
        path = [*path[:depth], title]
        end = marks[i + 1][2] if i + 1 < len(marks) else len(text)
        chunk = normalize_space(text[body:end])
        if chunk:
            sections.append(Section(headings=list(path), text=chunk))
    return sections


def pdf_sections(stream: IO[bytes], origin: str) -> tuple[str, list[Section]]:
    """The PDF's title (from its metadata, may be empty) and its text in sections."""
    reader = _open(stream, origin)
    try:
        pages = [normalize_space(page.extract_text() or "") for page in reader.pages]
        info = reader.metadata
        title = normalize_space(str(info.title or "")) if info is not None else ""
    except FileNotDecryptedError as exc:
        raise SourceFormatError(f"{origin}: the PDF is password-protected ({exc})") from exc
    except Exception as exc:
        raise SourceFormatError(f"{origin}: the PDF's text cannot be extracted "
                                f"({exc.__class__.__name__}: {exc})") from exc
    if _FILE_LIKE_TITLE.search(title):
        title = ""
    entries = _outline(reader)
    if entries:
        return title, _outline_sections(pages, entries)
    return title, [Section(headings=[f"Page {i}"], text=text)
                   for i, text in enumerate(pages, start=1) if text]
