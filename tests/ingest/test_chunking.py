"""Section-aware chunking: sections, sentence boundaries, sizes, heading paths, versions."""

from __future__ import annotations

from curbside.domain import Section, Source, SourceDocument, SourceKind
from curbside.ingest.chunking import CHUNKER_VERSION, Chunker
from curbside.settings import ChunkingSettings
from curbside.text import split_sentences, word_count


def _doc(*sections: Section) -> SourceDocument:
    source = Source(id="test:1", kind=SourceKind.RESEARCH_ARTICLE, title="Placeholder")
    return SourceDocument(source=source, sections=list(sections))


def _sentences(n: int, topic: str = "topic A") -> str:
    return " ".join(f"Sentence number {i} is about {topic} and has nine words." for i in range(n))


def test_passages_follow_sections_and_keep_heading_paths() -> None:
    doc = _doc(Section(headings=["Guide", "Scope"], text=_sentences(3)),
               Section(headings=["Guide", "Method"], text=_sentences(3, "topic B")))
    passages = Chunker(max_words=100, min_words=5).chunk(doc)
    assert [p.headings for p in passages] == [["Guide", "Scope"], ["Guide", "Method"]]
    assert "topic B" not in passages[0].text and "topic A" not in passages[1].text
    assert [p.id for p in passages] == ["test:1#0", "test:1#1"]
    assert [p.position for p in passages] == [0, 1]
    assert passages[1].context_text.startswith("Guide > Method: Sentence number 0")


def test_long_sections_split_at_sentence_boundaries_within_max_words() -> None:
    text = _sentences(40)  # 40 sentences of 10 words
    passages = Chunker(max_words=45, min_words=5).chunk(_doc(Section(headings=["H"], text=text)))
    assert len(passages) == 10
    assert all(word_count(p.text) <= 45 for p in passages)
    assert all(p.text.endswith("nine words.") for p in passages), "no passage ends mid-sentence"
    assert " ".join(p.text for p in passages) == text, "nothing lost, nothing repeated"
    assert all(p.headings == ["H"] for p in passages)


def test_short_tail_is_merged_into_its_own_section_only() -> None:
    chunker = Chunker(max_words=30, min_words=8)
    doc = _doc(Section(headings=["A"], text=_sentences(2) + " Tiny tail."),
               Section(headings=["B"], text="Short."))
    passages = chunker.chunk(doc)
    assert [p.headings for p in passages] == [["A"], ["B"]]
    assert passages[0].text.endswith("Tiny tail.")  # 20 + 2 words fit in one passage
    assert passages[1].text == "Short."  # too short, but never joined across sections


def test_decimals_and_abbreviations_are_not_split() -> None:
    text = ("The placeholder value is 3.5 mg per unit, e.g. for the first topic. Other values, "
            "i.e. those of topic beta, are 0.25 units. Dr. Placeholder et al. wrote this vs. that.")
    assert split_sentences(text) == [
        "The placeholder value is 3.5 mg per unit, e.g. for the first topic.",
        "Other values, i.e. those of topic beta, are 0.25 units.",
        "Dr. Placeholder et al. wrote this vs. that.",
    ]
    first, second, third = split_sentences(text)
    passages = Chunker(max_words=20, min_words=1).chunk(_doc(Section(text=text)))
    assert [p.text for p in passages] == [first, f"{second} {third}"]  # 13 | 10 + 8 words


def test_run_on_sentence_is_cut_by_words() -> None:
    text = " ".join(f"cell{i}" for i in range(50))  # a flattened table: no sentence ends
    passages = Chunker(max_words=20, min_words=1).chunk(_doc(Section(text=text)))
    assert [word_count(p.text) for p in passages] == [20, 20, 10]


def test_overlap_repeats_the_last_sentences() -> None:
    text = _sentences(6)
    passages = Chunker(max_words=30, min_words=1, overlap_sentences=1).chunk(_doc(Section(text=text)))
    assert len(passages) >= 2
    first_sentences = split_sentences(passages[0].text)
    assert split_sentences(passages[1].text)[0] == first_sentences[-1]


def test_version_names_the_settings() -> None:
    default = Chunker.from_settings(ChunkingSettings())
    assert default.version == f"{CHUNKER_VERSION}:160:25:0"
    assert Chunker.from_settings(ChunkingSettings(max_words=100)).version != default.version
    assert Chunker.from_settings(ChunkingSettings(min_words=5)).version != default.version
    assert Chunker.from_settings(ChunkingSettings(overlap_sentences=1)).version != default.version


def test_empty_sections_give_no_passages() -> None:
    assert Chunker().chunk(_doc(Section(headings=["Empty"], text="   "))) == []


def test_lines_are_kept_and_a_heading_or_lead_in_never_ends_a_passage() -> None:
    body = _sentences(3)  # 30 words
    text = f"{body}\nPlaceholder Heading\n{body}\nThe options are\n- option alpha\n- option beta"
    passages = Chunker(max_words=35, min_words=1).chunk(_doc(Section(headings=["H"], text=text)))
    texts = [p.text for p in passages]
    assert texts[1].startswith("Placeholder Heading\nSentence number 0")
    assert texts[-1] == "The options are\n- option alpha\n- option beta"
    assert all(not t.endswith(("Placeholder Heading", "The options are")) for t in texts)
    assert "\n".join(texts) == text, "nothing lost, nothing repeated, lines kept"
