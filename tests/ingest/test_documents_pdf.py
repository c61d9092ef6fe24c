"""PDF documents: real PDFs written with pypdf (outline or pages), encrypted and broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.domain import SourceDocument
from curbside.errors import SourceFormatError
from curbside.ingest.base import IngestProblem
from curbside.ingest.documents import DocumentsAdapter
from curbside.ingest.registry import read_paths
from tests.ingest.pdf_builder import make_pdf

ADAPTER = DocumentsAdapter()
PAGES = [
    ["Cover page placeholder", "Placeholder protocol for topic A"],
    ["Introduction", "Placeholder introduction text. It has two sentences.",
     "Scope", "Placeholder scope text about topic B."],
    ["Method", "Placeholder method text (value 3.5 units)."],
]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _doc(path: Path) -> SourceDocument:
    items = list(ADAPTER.read(path))
    assert len(items) == 1 and isinstance(items[0], SourceDocument), items
    return items[0]


def test_outline_gives_the_headings(tmp_path: Path) -> None:
    outline = [(0, "Introduction", 1), (1, "Scope", 1), (0, "Method", 2)]
    path = _write(tmp_path, "protocol.pdf", make_pdf(PAGES, outline=outline,
                                                     title="Placeholder PDF title"))
    doc = _doc(path)
    assert doc.source.title == "Placeholder PDF title"
    assert doc.source.id.startswith("doc:") and doc.source.collection == "local"
    assert [(s.headings, s.text) for s in doc.sections] == [
        ([], "Cover page placeholder Placeholder protocol for topic A"),
        (["Introduction"], "Placeholder introduction text. It has two sentences."),
        (["Introduction", "Scope"], "Placeholder scope text about topic B."),
        (["Method"], "Placeholder method text (value 3.5 units)."),
    ]


def test_without_outline_each_page_is_a_section(tmp_path: Path) -> None:
    path = _write(tmp_path, "scan-like_notes.pdf", make_pdf([PAGES[1], [], PAGES[2]]))
    doc = _doc(path)
    assert doc.source.title == "scan like notes"  # no metadata title: the file name
    assert [s.headings for s in doc.sections] == [["Page 1"], ["Page 3"]]  # the empty page is left out
    assert doc.sections[1].text == "Method Placeholder method text (value 3.5 units)."


def test_bookmark_whose_heading_is_not_on_the_page_starts_at_the_page(tmp_path: Path) -> None:
    outline = [(0, "Part one", 0), (0, "A title printed nowhere", 2)]
    doc = _doc(_write(tmp_path, "b.pdf", make_pdf(PAGES, outline=outline)))
    assert [s.headings for s in doc.sections] == [["Part one"], ["A title printed nowhere"]]
    assert doc.sections[1].text == "Method Placeholder method text (value 3.5 units)."


def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "locked.pdf", make_pdf(PAGES, password="placeholder-secret"))
    with pytest.raises(SourceFormatError, match="password-protected"):
        list(ADAPTER.read(path))


def test_pdf_with_empty_user_password_opens(tmp_path: Path) -> None:
    path = _write(tmp_path, "owner-only.pdf", make_pdf(PAGES[:1], password=""))
    assert _doc(path).sections[0].text == "Cover page placeholder Placeholder protocol for topic A"


def test_broken_and_truncated_pdfs(fixtures_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="not a readable PDF"):
        list(ADAPTER.read(fixtures_dir / "documents" / "broken.pdf"))
    good = make_pdf(PAGES)
    truncated = _write(tmp_path, "truncated.pdf", good[: len(good) // 3])
    garbage = _write(tmp_path, "garbage.pdf", b"\x00\x01 not a pdf at all")
    for path in (truncated, garbage):
        items = list(read_paths([path]))
        assert len(items) == 1 and isinstance(items[0], IngestProblem)
        assert items[0].origin == str(path)


def test_pdf_without_text_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "blank.pdf", make_pdf([[], []]))
    items = list(ADAPTER.read(path))
    assert len(items) == 1 and isinstance(items[0], IngestProblem)
    assert "OCR" in items[0].message
