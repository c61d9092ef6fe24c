"""Section-aware chunking: passages follow sections and sentence boundaries.

The chunker's name and version are recorded with every passage and with every index, so an index
built with another chunker is never mixed with this one.
"""

from __future__ import annotations

from dataclasses import dataclass

from curbside.domain import Passage, Section, SourceDocument
from curbside.settings import ChunkingSettings
from curbside.text import normalize_space, split_sentences, word_count

CHUNKER_VERSION = "sections-v1"


@dataclass(frozen=True)
class Chunker:
    """Packs whole sentences of one section into passages of at most ``max_words`` words."""

    max_words: int = 160
    min_words: int = 25
    overlap_sentences: int = 0

    @classmethod
    def from_settings(cls, settings: ChunkingSettings) -> Chunker:
        return cls(settings.max_words, settings.min_words, settings.overlap_sentences)

    @property
    def version(self) -> str:
        return f"{CHUNKER_VERSION}:{self.max_words}:{self.min_words}:{self.overlap_sentences}"

    def chunk(self, document: SourceDocument) -> list[Passage]:
        """Split a document into passages numbered from 0 in reading order."""
        groups: list[tuple[list[str], str]] = []
        for section in document.sections:
            for text in self._chunk_section(section):
                groups.append((list(section.headings), text))
        groups = self._merge_short(groups)
        source_id = document.source.id
        return [
            Passage(id=f"{source_id}#{i}", source_id=source_id, position=i, headings=headings, text=text)
            for i, (headings, text) in enumerate(groups)
        ]

    def _chunk_section(self, section: Section) -> list[str]:
        sentences = [s for s in split_sentences(section.text) if s]
        chunks: list[str] = []
        current: list[str] = []
        size = 0
        for sentence in sentences:
            n = word_count(sentence)
            if n > self.max_words:  # a run-on "sentence" (a flattened table): cut by words
                if current:
                    chunks.append(" ".join(current))
                    current, size = [], 0
                tokens = sentence.split()
                for i in range(0, len(tokens), self.max_words):
                    chunks.append(" ".join(tokens[i : i + self.max_words]))
                continue
            if current and size + n > self.max_words:
                chunks.append(" ".join(current))
                keep = current[-self.overlap_sentences :] if self.overlap_sentences else []
                current, size = list(keep), sum(word_count(s) for s in keep)
            current.append(sentence)
            size += n
        if current:
            chunks.append(" ".join(current))
        return [normalize_space(c) for c in chunks if c.strip()]

    def _merge_short(self, groups: list[tuple[list[str], str]]) -> list[tuple[list[str], str]]:
        """Join a too-short passage to the previous one of the same section when it fits."""
        merged: list[tuple[list[str], str]] = []
        for headings, text in groups:
            if merged:
                prev_headings, prev_text = merged[-1]
                short = word_count(text) < self.min_words or word_count(prev_text) < self.min_words
                fits = word_count(prev_text) + word_count(text) <= self.max_words
                if short and fits and prev_headings == headings:
                    merged[-1] = (prev_headings, prev_text + " " + text)
                    continue
            merged.append((headings, text))
        return merged
