"""PubMed/MEDLINE XML adapter: efetch output, gzipped baseline files, bad and hostile files."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from curbside.domain import Audience, EvidenceLevel, SourceDocument, SourceKind
from curbside.errors import SourceFormatError
from curbside.ingest.base import IngestProblem
from curbside.ingest.pubmed import PubMedAdapter, heading_case, iter_pubmed_xml
from curbside.ingest.registry import adapter_for, read_paths

ADAPTER = PubMedAdapter()


def _read(path: Path) -> tuple[dict[str, SourceDocument], list[IngestProblem]]:
    docs: dict[str, SourceDocument] = {}
    problems: list[IngestProblem] = []
    for item in ADAPTER.read(path):
        if isinstance(item, IngestProblem):
            problems.append(item)
        else:
            docs[item.source.id] = item
    return docs, problems


def test_efetch_response_built_from_pubmedqa_records(fixtures_dir: Path) -> None:
    path = fixtures_dir / "pubmed" / "efetch_pubmedqa.xml"
    assert ADAPTER.can_read(path)
    assert adapter_for(path) is not None and adapter_for(path).name == "pubmed"  # type: ignore[union-attr]
    docs, problems = _read(path)
    assert problems == []
    assert list(docs) == ["pmid:21645374", "pmid:16418930", "pmid:10808977", "pmid:14612308",
                          "pmid:18847643"]

    doc = docs["pmid:21645374"]
    src = doc.source
    assert src.title == ("Do mitochondria play a role in remodelling lace plant leaves during "
                         "programmed cell death?")
    assert src.year == 2011
    assert src.url == "https://pubmed.ncbi.nlm.nih.gov/21645374/"
    assert src.identifiers.pmid == "21645374"
    assert src.collection == "pubmed" and src.audience is Audience.CLINICIAN
    assert src.license.startswith("PubMed/MEDLINE abstract; copyright of the publisher")
    assert src.publisher == "[Journal title not in PubMedQA]"
    assert src.language == "en"
    assert "Mitochondria" in src.topics and "Alismataceae" in src.topics
    assert [s.headings for s in doc.sections] == [["Background"], ["Results"], ["Conclusions"]]
    # <i>Aponogeton madagascariensis</i> inside AbstractText keeps its text, in place.
    assert "The lace plant (Aponogeton madagascariensis) produces perforations" in doc.sections[0].text

    labels = {tuple(h for s in docs["pmid:16418930"].sections for h in s.headings)}
    assert labels == {("Background", "Patients and Methods", "Results", "Conclusions")}
    # A structured abstract whose first part has no label: that part is a section without heading.
    assert [s.headings for s in docs["pmid:14612308"].sections][:2] == [[], ["Primary Objective"]]
    # No design in the publication types ("Journal Article"): MeSH "Retrospective Studies" etc. decide.
    assert docs["pmid:18847643"].source.evidence_level is EvidenceLevel.OBSERVATIONAL


def test_every_labelled_part_is_a_section(fixtures_dir: Path) -> None:
    docs, _ = _read(fixtures_dir / "pubmed" / "efetch_pubmedqa.xml")
    sections = docs["pmid:10808977"].sections
    assert [s.headings for s in sections] == [["Background"], ["Design"], ["Participants"],
                                              ["Intervention"], ["Main Outcome"], ["Results"],
                                              ["Conclusions"]]
    assert sections[0].text.startswith("Telephone counseling and tailored print communications")
    assert sections[1].text == "Three-year randomized field trial."


def test_variants_identifiers_dates_types_and_problems(fixtures_dir: Path) -> None:
    docs, problems = _read(fixtures_dir / "pubmed" / "efetch_variants.xml")
    assert sorted(docs) == ["pmid:90000001", "pmid:90000003", "pmid:90000005"]

    trial = docs["pmid:90000001"].source
    assert trial.title == "A placeholder trial about topic A"  # inline <i> kept, final period dropped
    assert trial.year == 1998  # from <MedlineDate>1998 Dec-1999 Jan</MedlineDate>
    assert trial.identifiers.doi == "10.5555/placeholder.90000001"  # ELocationID EIdType=doi
    assert trial.identifiers.pmcid == "PMC0000001"
    assert trial.kind is SourceKind.TRIAL and trial.evidence_level is EvidenceLevel.RCT
    assert trial.publication_types == ["Journal Article", "Randomized Controlled Trial"]
    assert trial.topics == ["Topic A", "Topic B"]
    assert trial.language == "fr"
    assert trial.publisher == "Placeholder Journal of Topic A"
    assert trial.attribution.startswith("Placeholder A, Example B, Placeholder Study Group, et al.")
    sections = docs["pmid:90000001"].sections
    assert [s.headings for s in sections] == [["Background"], ["Methods and Results"], ["Conclusions"]]
    assert sections[0].text == "Passage about topic A with italic words inside."
    assert sections[1].text == "Placeholder measure was 103 units and H2O, with bold words kept."
    assert all("copyright line" not in s.text for s in sections)

    review = docs["pmid:90000003"]
    assert review.source.year == 2020  # no PubDate year: ArticleDate
    assert review.source.identifiers.doi == "10.5555/placeholder.90000003"  # not the reference's DOI
    assert review.source.identifiers.pmcid is None  # the reference's PMC id is not the article's
    assert review.source.kind is SourceKind.SYSTEMATIC_REVIEW
    assert review.source.title.endswith("topic C?")
    assert len(review.sections) == 1 and review.sections[0].headings == []

    guideline = docs["pmid:90000005"]
    assert guideline.source.kind is SourceKind.GUIDELINE
    assert guideline.sections[0].headings == []  # Label="UNASSIGNED" is no heading

    by_origin = {p.origin.split("#", 1)[1]: p.message for p in problems}
    assert "title only" in by_origin["pmid:90000002"]
    assert "PMID" in by_origin["article-4"] and "missing" in by_origin["article-4"]
    assert "book record" in by_origin["pmid:90000006"]
    assert "90000097" in by_origin["DeleteCitation"] and "deletions" in by_origin["DeleteCitation"]


def test_gzipped_baseline_file_with_deletions(fixtures_dir: Path) -> None:
    path = fixtures_dir / "pubmed" / "baseline_sample.xml.gz"
    assert ADAPTER.can_read(path)
    docs, problems = _read(path)
    assert sorted(docs) == ["pmid:17208539", "pmid:26037986", "pmid:9488747"]
    assert [s.headings[0] for s in docs["pmid:9488747"].sections] == ["Background", "Case Reports",
                                                                      "Conclusions"]
    assert len(problems) == 1 and "90000098, 90000099" in problems[0].message


def test_streams_large_files_record_by_record(fixtures_dir: Path) -> None:
    """A many-record file is read lazily: the first record arrives before the rest is parsed."""
    one = (fixtures_dir / "pubmed" / "efetch_pubmedqa.xml").read_bytes()
    head, _, rest = one.partition(b"<PubmedArticle>")
    record = b"<PubmedArticle>" + rest.split(b"</PubmedArticle>")[0] + b"</PubmedArticle>"
    body = b"".join(record.replace(b"21645374", str(90100000 + i).encode()) for i in range(400))
    data = head + body + b"</PubmedArticleSet>"
    reads: list[int] = []

    class Counting(io.BytesIO):
        def read(self, size: int | None = -1, /) -> bytes:
            chunk = super().read(size)
            reads.append(len(chunk))
            return chunk

    items = iter_pubmed_xml(Counting(data), "big")
    first = next(items)
    assert isinstance(first, SourceDocument) and first.source.id == "pmid:90100000"
    assert sum(reads) < len(data) / 2, "the first record must not wait for the whole file"
    assert sum(1 for _ in items) == 399


def test_xxe_is_refused_and_leaks_nothing(fixtures_dir: Path) -> None:
    path = fixtures_dir / "pubmed" / "hostile_xxe.xml"
    assert ADAPTER.can_read(path)
    with pytest.raises(SourceFormatError) as info:
        list(ADAPTER.read(path))
    assert "entities" in info.value.message
    items = list(read_paths([path]))
    assert len(items) == 1 and isinstance(items[0], IngestProblem)
    assert "root:" not in items[0].message and "/bin/" not in items[0].message


def test_billion_laughs_fails_cleanly(fixtures_dir: Path) -> None:
    with pytest.raises(SourceFormatError, match="entity"):
        list(ADAPTER.read(fixtures_dir / "pubmed" / "hostile_billion_laughs.xml"))


def test_external_dtd_is_not_loaded(tmp_path: Path) -> None:
    path = tmp_path / "external.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet SYSTEM "file:///etc/passwd">\n'
                    "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>90000020</PMID><Article>"
                    "<ArticleTitle>T</ArticleTitle><Abstract><AbstractText>Placeholder &undefined; text."
                    "</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>"
                    "</PubmedArticleSet>")
    docs, problems = _read(path)
    assert problems == []
    assert docs["pmid:90000020"].sections[0].text == "Placeholder text."


@pytest.mark.parametrize("name, data, expected", [
    ("not-xml.xml", b"this is not XML at all", "not well-formed"),
    ("empty.xml", b"", "not well-formed"),
    ("other-root.xml", b"<?xml version='1.0'?><Document id='1'/>", "expected <PubmedArticleSet>"),
    ("bad.xml.gz", b"not gzip data", "cannot be read"),
])
def test_unreadable_files_raise_source_format_error(tmp_path: Path, name: str, data: bytes,
                                                    expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SourceFormatError, match=expected):
        list(ADAPTER.read(path))


def test_truncated_file_raises_after_the_complete_records(fixtures_dir: Path, tmp_path: Path) -> None:
    data = (fixtures_dir / "pubmed" / "efetch_pubmedqa.xml").read_bytes()
    cut = data.index(b"<PubmedArticle>", data.index(b"16418930")) + 200  # inside the third record
    plain = tmp_path / "truncated.xml"
    plain.write_bytes(data[:cut])
    seen: list[str] = []
    with pytest.raises(SourceFormatError, match="after 2 records"):
        for item in ADAPTER.read(plain):
            assert isinstance(item, SourceDocument)
            seen.append(item.source.id)
    assert seen == ["pmid:21645374", "pmid:16418930"]

    packed = gzip.compress(data)
    gz = tmp_path / "truncated.xml.gz"
    gz.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(SourceFormatError, match="cut short"):
        list(ADAPTER.read(gz))
    problems = [p for p in read_paths([gz]) if isinstance(p, IngestProblem)]
    assert len(problems) == 1 and problems[0].origin == str(gz)


def test_can_read_only_pubmed_xml(fixtures_dir: Path, tmp_path: Path) -> None:
    assert not ADAPTER.can_read(fixtures_dir / "medquad" / "3_GHR_QA" / "0000708.xml")
    assert not ADAPTER.can_read(fixtures_dir / "pubmedqa" / "ori_pqal_excerpt.json")
    other = tmp_path / "other.xml"
    other.write_text("<root/>")
    assert not ADAPTER.can_read(other)


def test_heading_case() -> None:
    assert heading_case("PATIENTS AND METHODS") == "Patients and Methods"
    assert heading_case("BACKGROUND") == "Background"
    assert heading_case("Methods and Results") == "Methods and Results"
    assert heading_case("") == ""
