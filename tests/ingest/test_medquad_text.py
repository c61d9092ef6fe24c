"""MedQuAD answers back to lines (real NIDDK, GARD and MedlinePlus files), and their passages."""

from __future__ import annotations

from pathlib import Path

from curbside.domain import SourceDocument
from curbside.ingest.chunking import Chunker
from curbside.ingest.medquad import MedQuADAdapter
from curbside.ingest.medquad_text import answer_text
from curbside.text import outline, split_sentences

ADAPTER = MedQuADAdapter()


def _doc(fixtures_dir: Path, name: str) -> SourceDocument:
    doc = next(iter(ADAPTER.read(fixtures_dir / "medquad_text" / name)))
    assert isinstance(doc, SourceDocument)
    return doc


def _section(doc: SourceDocument, heading_start: str) -> str:
    return next(s.text for s in doc.sections if s.headings[0].startswith(heading_start))


def test_lists_headings_and_lost_dashes_restored(fixtures_dir: Path) -> None:
    text = _section(_doc(fixtures_dir, "5_NIDDK_QA/0000127.xml"), "What are the symptoms")
    lines = text.split("\n")
    assert lines[:4] == [
        "In addition to passing frequent, loose stools, other possible symptoms include",
        "- cramps or pain in the abdomen—the area between the chest and hips",
        "- an urgent need to use the bathroom",
        "- loss of bowel control",
    ]
    assert "Dehydration" in lines  # the heading has its own line
    blocks = outline(text)
    intro = blocks[0]
    assert intro.kind == "intro" and intro.children == (
        "cramps or pain in the abdomen—the area between the chest and hips",
        "an urgent need to use the bathroom", "loss of bowel control")
    assert any(b.kind == "heading" and b.text == "Dehydration" for b in blocks)


def test_heading_no_longer_runs_into_the_list_item_before_it(fixtures_dir: Path) -> None:
    doc = _doc(fixtures_dir, "5_NIDDK_QA/0000203.xml")
    text = next(s.text for s in doc.sections if "Calcium Phosphate Stones" in s.text)
    assert "wheat bran Calcium" not in text
    assert "- avoiding foods high in oxalate, such as spinach, rhubarb, nuts, and wheat bran\nCalcium Phosphate Stones\n" in text
    passages = Chunker().chunk(doc)
    sentences = [s for p in passages for s in split_sentences(p.text)]
    assert "Calcium Phosphate Stones" in sentences
    assert not any("wheat bran Calcium" in p.text for p in passages)
    # a heading or lead-in never ends a passage
    for p in passages:
        last = p.text.split("\n")[-1]
        assert last not in ("Calcium Oxalate Stones", "Calcium Phosphate Stones", "Uric Acid Stones")


def test_footnote_numbers_dropped(fixtures_dir: Path) -> None:
    doc = _doc(fixtures_dir, "5_NIDDK_QA/0000071.xml")
    joined = "\n".join(s.text for s in doc.sections)
    assert "gene variant.1 However" not in joined
    assert "gene variant. However" in joined


def test_gard_symptom_table_becomes_items(fixtures_dir: Path) -> None:
    text = _doc(fixtures_dir, "2_GARD_QA/0004497.xml").sections[0].text
    assert not text.startswith("What are the signs")  # the echoed question is dropped
    assert "- Aplasia/Hypoplasia affecting the eye (90%)\n- Dandy-Walker malformation (90%)" in text
    assert "- Abnormality of the palpebral fissures (7.5%)\nThe Human Phenotype Ontology (HPO)" in text


def test_spaced_dash_inside_an_item_is_kept(fixtures_dir: Path) -> None:
    text = _doc(fixtures_dir, "4_MPlus_Health_Topics_QA/0000704.xml").sections[0].text
    assert "They include\n- Peritonitis - an inflammation of the peritoneum\n- Cancer\n" in text


def test_items_without_a_colon_after_a_full_stop() -> None:
    raw = "Several kinds of help are available. - Home aides visit.  More text here. - Meals arrive."
    assert answer_text(raw).split("\n") == [
        "Several kinds of help are available.", "- Home aides visit.", "More text here.", "- Meals arrive."]
