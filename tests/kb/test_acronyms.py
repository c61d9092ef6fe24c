"""Topic acronyms spelled out for retrieval (kb/synonyms.py: Acronyms), and their use in an answer."""

from __future__ import annotations

from pathlib import Path

from curbside.answer.service import AnswerService
from curbside.domain import Source, SourceKind
from curbside.ingest.registry import read_paths
from curbside.kb.service import KnowledgeBase
from curbside.kb.synonyms import Acronyms, own_acronyms
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _source(source_id: str, title: str, *names: str) -> Source:
    return Source(id=source_id, kind=SourceKind.PATIENT_EDUCATION, title=title, topics=[title, *names],
                  collection="medquad")


# The names are MedQuAD's <synonym> lists (CC BY 4.0) as the starter pack keeps them.
SOURCES = [
    _source("medquad:MPlusHealthTopics:0000700", "Pelvic Inflammatory Disease", "PID"),
    _source("medquad:MPlusHealthTopics:0000555", "Irritable Bowel Syndrome", "IBS"),
    _source("medquad:GARD:0003101", "Ichthyosis bullosa of Siemens", "IBS"),
    _source("medquad:GARD:0000001", "Aganglionosis, total intestinal", "TIA"),
    _source("medquad:GHR:0000002", "spondylothoracic dysostosis", "STD"),
    _source("medquad:GARD:0000003", "Some syndrome", "STD"),
]


def test_an_acronym_in_capitals_is_spelled_out_with_its_topic() -> None:
    acronyms = Acronyms(SOURCES)
    assert acronyms.spelled_out("How do doctors treat PID?") == ["Pelvic Inflammatory Disease"]
    assert acronyms.spelled_out("Are PIDs common?") == ["Pelvic Inflammatory Disease"]
    assert acronyms.spelled_out("Is pelvic inflammatory disease (PID) contagious?") == []  # spelled out already
    assert acronyms.spelled_out("Is pid contagious?") == []  # written small it may be a word


def test_a_shared_acronym_means_the_curated_consumer_topic_or_nothing() -> None:
    acronyms = Acronyms(SOURCES)
    assert acronyms.spelled_out("Does IBS cause cramps?") == ["Irritable Bowel Syndrome"]
    assert acronyms.spelled_out("What is an STD test?") == []  # two rare diseases, neither curated
    assert acronyms.spelled_out("What is TIA?") == ["Aganglionosis, total intestinal"]  # the only one known


def test_a_question_naming_a_topic_by_its_acronym_is_answered_from_that_topic(tmp_path: Path,
                                                                                  embedder: Embedder) -> None:
    settings = Settings(data_dir=tmp_path / "data", starter_pack=False)
    kb = KnowledgeBase(settings, embedder=embedder)
    kb.ingest(read_paths([FIXTURES / "medquad" / "3_GHR_QA"]))
    assert kb.acronyms().spelled_out("How do doctors treat PID?") == []
    kb.ingest(read_paths([FIXTURES / "answer" / "acronym"]))  # the index generation moves: read again
    assert kb.acronyms().spelled_out("How do doctors treat PID?") == ["Pelvic Inflammatory Disease"]
    service = AnswerService(settings, kb)
    hits = service.retrieve("How do doctors treat PID?", audience="patient")
    assert hits[0].source.title == "Pelvic Inflammatory Disease"
    answer = service.ask("How do doctors treat PID?", audience="patient")
    assert not answer.abstained
    # the page is one summary: its sentence that gives the treatment is the bottom line, not a fragment
    assert answer.bottom_line.text.startswith("Antibiotics can cure PID.")


def test_a_curated_page_that_spells_out_its_own_acronym_is_what_it_means() -> None:
    # MedQuAD MedlinePlus "Sexually Transmitted Diseases" (CC BY 4.0) opens by spelling out "STDs";
    # its "also called" names leave it out, and two rare diseases list "STD"
    stds = _source("medquad:MPlusHealthTopics:0000811", "Sexually Transmitted Diseases")
    warts = _source("medquad:MPlusHealthTopics:0000401", "Genital Warts")
    openings = {stds.id: "Sexually transmitted diseases (STDs) are infections that you can get from having sex with "
                         "someone who has the infection.",
                warts.id: "Genital warts are a sexually transmitted disease (STD) caused by the human papillomavirus "
                          "(HPV)."}
    acronyms = Acronyms([*SOURCES, stds, warts], openings)
    assert acronyms.spelled_out("Which STD test should I get?") == ["Sexually Transmitted Diseases"]
    assert acronyms.spelled_out("Is HPV common?") == []  # warts' page defines HPV for the virus, not itself
    assert own_acronyms("Genital Warts", openings[warts.id]) == []
    assert own_acronyms("Sexually Transmitted Diseases", openings[stds.id]) == ["STD"]
