"""Local documents adapter: Markdown with front matter, HTML (text only), size limit, ids."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from curbside.domain import Audience, EvidenceLevel, SourceDocument, SourceKind
from curbside.errors import SourceFormatError
from curbside.ingest.base import IngestProblem
from curbside.ingest.documents import DocumentsAdapter
from curbside.ingest.html_text import as_sentence
from curbside.text import split_sentences

ADAPTER = DocumentsAdapter()


def _doc(path: Path, adapter: DocumentsAdapter = ADAPTER) -> SourceDocument:
    assert adapter.can_read(path)
    items = list(adapter.read(path))
    assert len(items) == 1 and isinstance(items[0], SourceDocument), items
    return items[0]


def test_markdown_front_matter_and_heading_paths(fixtures_dir: Path) -> None:
    path = fixtures_dir / "documents" / "local_protocol.md"
    doc = _doc(path)
    src = doc.source
    assert src.id == "doc:" + hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    assert src.title == "Placeholder protocol for topic A"
    assert src.kind is SourceKind.GUIDELINE and src.evidence_level is EvidenceLevel.GUIDELINE
    assert src.publisher == "Example Institution (placeholder)" and src.year == 2024
    assert src.audience is Audience.CLINICIAN and src.collection == "local"
    assert src.identifiers.doi == "10.5555/placeholder.protocol"
    assert src.identifiers.other["file"] == "local_protocol.md"
    assert src.url == "https://example.org/protocols/topic-a"
    assert src.topics == ["topic A", "topic B"]
    assert src.license == "CC0-1.0 (test fixture)"

    paths = [s.headings for s in doc.sections]
    assert paths == [
        ["Protocol for topic A"],
        ["Protocol for topic A", "Scope"],
        ["Protocol for topic A", "Recommendations", "Recommendation 1"],
        ["Protocol for topic A", "Recommendations", "Recommendation 2"],
        ["Protocol for topic A", "Sources"],
    ]
    scope = doc.sections[1].text
    sentences = split_sentences(scope)
    # Each list item is a sentence of its own, even without a final full stop.
    assert "First list item about topic alpha." in sentences
    assert "Second list item about topic beta." in sentences
    assert "Third list item; it ends without a full stop." in sentences
    assert "The placeholder value is 3.5 mg per unit in this sentence." in sentences
    table = doc.sections[3].text
    assert "Alpha; 1." in table and "Item; Placeholder value." in table
    assert "Placeholder text inside raw HTML." in table
    assert all("alert" not in s.text for s in doc.sections), "script text in raw HTML is dropped"
    assert all("unknown_key" not in s.text and "---" not in s.text for s in doc.sections)


def test_markdown_defaults_without_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "notes_on-topic.md"
    path.write_text("Intro before any heading.\n\n# First heading\n\nText under it.\n\n"
                    "#### Deep heading\n\nDeep text.\n")
    doc = _doc(path)
    assert doc.source.title == "First heading"
    assert doc.source.kind is SourceKind.RESEARCH_ARTICLE
    assert doc.source.evidence_level is EvidenceLevel.UNKNOWN
    assert doc.source.audience is Audience.CLINICIAN and doc.source.language == "en"
    assert [s.headings for s in doc.sections] == [[], ["First heading"],
                                                  ["First heading", "Deep heading"]]

    untitled = tmp_path / "ward_protocol-v2.md"
    untitled.write_text("Just one paragraph.")
    assert _doc(untitled).source.title == "ward protocol v2"


def test_front_matter_kind_sets_evidence_unless_given(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\nkind: Systematic review\nevidence_level: expert\nyear: '2019-03'\n"
                    "pmid: 90000001\naudience: patient\n---\n# T\n\nText.\n")
    src = _doc(path).source
    assert src.kind is SourceKind.SYSTEMATIC_REVIEW
    assert src.evidence_level is EvidenceLevel.EXPERT
    assert src.year == 2019 and src.identifiers.pmid == "90000001"
    assert src.audience is Audience.PATIENT


@pytest.mark.parametrize("front, message", [
    ("kind: leaflet", "one of: guideline"),
    ("audience: everyone", "'audience'"),
    ("year: 99999", "'year'"),
    ("title: [unclosed", "YAML front matter cannot be read"),
    ("- just\n- a list", "must be a YAML mapping"),
    ("a: !!python/object/apply:os.system ['echo hi']", "YAML front matter cannot be read"),
    ("a: &x [1, 2]\nb: *x", "aliases are not allowed"),
])
def test_bad_front_matter_is_a_clear_error(tmp_path: Path, front: str, message: str) -> None:
    path = tmp_path / "bad.md"
    path.write_text(f"---\n{front}\n---\n# T\n\nText.\n")
    with pytest.raises(SourceFormatError, match=message.replace("[", r"\[")):
        list(ADAPTER.read(path))


def test_html_text_only_with_heading_paths(fixtures_dir: Path) -> None:
    doc = _doc(fixtures_dir / "documents" / "policy_page.html")
    src = doc.source
    assert src.title == "Placeholder policy page"  # <title> wins over the first <h1>
    assert src.publisher == "Example Institution (placeholder)" and src.year == 2023
    assert src.topics == ["topic C", "topic D"]
    assert src.kind is SourceKind.RESEARCH_ARTICLE
    everything = " ".join(s.text for s in doc.sections)
    for banned in ("SCRIPT-TEXT", "NAV-TEXT", "FOOTER-TEXT", "HIDDEN-TEXT", "NOSCRIPT-TEXT",
                   "color: red", "alert", "javascript"):
        assert banned not in everything
    assert [s.headings for s in doc.sections] == [
        ["Policy for topic C"],
        ["Policy for topic C", "Background"],
        ["Policy for topic C", "Background", "Details"],
        ["Policy for topic C", "Summary"],
    ]
    assert doc.sections[0].text == "Opening placeholder paragraph about topic C with bold and a link."
    details = split_sentences(doc.sections[2].text)
    assert details == ["Detail item one.", "Detail item two, e.g. a placeholder.", "Name; Value.",
                       "Alpha; 3.5."]


def test_html_title_falls_back_to_h1_and_survives_deep_nesting(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_text("<html><body><h1>Only heading</h1>" + "<div>" * 3000 + "deep text"
                    + "</div>" * 3000 + "</body></html>")
    doc = _doc(path)
    assert doc.source.title == "Only heading"
    assert doc.sections[0].text == "deep text."


def test_same_bytes_same_id_under_another_name(fixtures_dir: Path, tmp_path: Path) -> None:
    original = fixtures_dir / "documents" / "policy_page.html"
    copy = tmp_path / "renamed.html"
    shutil.copy(original, copy)
    assert _doc(copy).source.id == _doc(original).source.id
    copy.write_bytes(original.read_bytes() + b"\n<!-- edited -->")
    assert _doc(copy).source.id != _doc(original).source.id


def test_size_limit_and_empty_files(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_text("word " * 1000)
    with pytest.raises(SourceFormatError, match="over the 0 MB limit"):
        list(DocumentsAdapter(max_bytes=1000).read(big))
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><script>x()</script></head><body><nav>menu</nav></body></html>")
    items = list(ADAPTER.read(empty))
    assert len(items) == 1 and isinstance(items[0], IngestProblem)
    assert "no text" in items[0].message


def test_non_utf8_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    path.write_bytes("# Caf\u00e9 heading\n\nPlaceholder na\u00efve text.\n".encode("cp1252"))
    doc = _doc(path)
    assert doc.source.title == "Café heading" and "naïve" in doc.sections[0].text


def test_can_read_by_suffix(tmp_path: Path) -> None:
    for name in ("a.md", "b.markdown", "c.HTML", "d.htm", "e.pdf"):
        assert ADAPTER.can_read(tmp_path / name)
    for name in ("f.txt", "g.xml", "h.json"):
        assert not ADAPTER.can_read(tmp_path / name)


def test_as_sentence() -> None:
    assert as_sentence("Item one") == "Item one."
    assert as_sentence("Ends with colon:") == "Ends with colon."
    assert as_sentence("Already done.") == "Already done."
    assert as_sentence('A quote "here."') == 'A quote "here."'
    assert as_sentence("A bracket (see below)") == "A bracket (see below)."
