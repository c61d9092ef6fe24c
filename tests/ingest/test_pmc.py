"""PMC open-access JATS: a real BMC Microbiology article (CC BY 2.0), sections, licence, refusal without one."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.domain import SourceDocument, SourceKind
from curbside.errors import SourceFormatError
from curbside.ingest.base import IngestProblem
from curbside.ingest.pmc import PMCAdapter
from curbside.ingest.registry import adapter_for


def _doc(path: Path) -> SourceDocument | IngestProblem:
    items = list(PMCAdapter().read(path))
    assert len(items) == 1
    return items[0]


def test_full_text_sections_and_licence(fixtures_dir: Path) -> None:
    path = fixtures_dir / "pmc" / "1471-2180-11-174.nxml"
    assert isinstance(adapter_for(path), PMCAdapter)
    doc = _doc(path)
    assert isinstance(doc, SourceDocument)
    src = doc.source
    assert src.id == "pmc:PMC3166277" and src.kind is SourceKind.RESEARCH_ARTICLE and src.collection == "pmc"
    assert src.title == "Factors influencing lysis time stochasticity in bacteriophage λ"
    assert src.identifiers.pmid == "21810267" and src.identifiers.doi == "10.1186/1471-2180-11-174"
    assert src.license == "CC BY 2.0 (https://creativecommons.org/licenses/by/2.0/)"
    assert src.publisher == "BMC Microbiology" and src.year == 2011
    headings = [s.headings for s in doc.sections]
    assert headings[:3] == [["Abstract", "Background"], ["Abstract", "Results"], ["Abstract", "Conclusions"]]
    assert ["Results", "Effect of allelic variation in holin sequence"] in headings
    assert ["Methods", "Bacterial strains"] in headings
    text = "\n".join(s.text for s in doc.sections)
    assert "<xref" not in text and "[1]" not in text and "[]" not in text  # citation call-outs dropped


def test_article_without_a_licence_is_reported(fixtures_dir: Path, tmp_path: Path) -> None:
    raw = (fixtures_dir / "pmc" / "1471-2180-11-174.nxml").read_text(encoding="utf-8")
    start, end = raw.index("<permissions>"), raw.index("</permissions>") + len("</permissions>")
    path = tmp_path / "no_licence.nxml"
    path.write_text(raw[:start] + raw[end:], encoding="utf-8")
    problem = _doc(path)
    assert isinstance(problem, IngestProblem) and "no licence statement" in problem.message


def test_broken_file_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.nxml"
    path.write_text("<article><front><article-meta>", encoding="utf-8")
    with pytest.raises(SourceFormatError):
        list(PMCAdapter().read(path))
