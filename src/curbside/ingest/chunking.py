"""Section-aware chunking: passages follow sections and sentence boundaries.

Line-structured section text keeps its lines in the passages (a heading, a paragraph or a "- " list
item on its own line); a heading or a list lead-in never ends a passage, it moves on with what it
introduces. Text without line breaks is packed as running text.

The chunker's name and version are recorded with every passage and with every index, so an index
built with another chunker is never mixed with this one.
"""

from __future__ import annotations

from dataclasses import dataclass

from curbside.domain import InfoType, Passage, Section, SourceDocument
from curbside.settings import ChunkingSettings
from curbside.text import LIST_ITEM, is_heading_line, normalize_lines, split_sentences, word_count

CHUNKER_VERSION = "sections-v2"

#: What identifies a section for merging: its heading path and its type.
_Key = tuple[tuple[str, ...], InfoType | None]


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
        pieces: list[tuple[_Key, str, bool]] = []
        for section in document.sections:
            for text, new_line in self._chunk_section(section):
                pieces.append(((tuple(section.headings), section.kind), text, new_line))
        groups = self._merge_short(pieces)
        source_id = document.source.id
        return [
            Passage(id=f"{source_id}#{i}", source_id=source_id, position=i, headings=list(key[0]), text=text,
                    section_type=key[1])
            for i, (key, text) in enumerate(groups)
        ]

    def _chunk_section(self, section: Section) -> list[tuple[str, bool]]:
        """The section's passages, each with whether it starts on a new line of the source."""
        units = _units(section.text)
        chunks: list[list[_Unit]] = []
        current: list[_Unit] = []
        size = 0
        for unit in units:
            n = word_count(unit.text)
            if n > self.max_words:  # a run-on "sentence" (a flattened table): cut by words
                if current:
                    chunks.append(current)
                    current, size = [], 0
                tokens = unit.text.split()
                for i in range(0, len(tokens), self.max_words):
                    chunks.append([_Unit(" ".join(tokens[i : i + self.max_words]), unit.new_line and i == 0, False)])
                continue
            if current and size + n > self.max_words:
                # A heading or list lead-in never ends a passage: it moves on with what it introduces.
                cut = len(current)
                while cut > 0 and current[cut - 1].leads:
                    cut -= 1
                cut = cut or len(current)
                chunks.append(current[:cut])
                moved = current[cut:]
                keep = current[:cut][-self.overlap_sentences :] if self.overlap_sentences and not moved else []
                current = [*keep, *moved]
                size = sum(word_count(u.text) for u in current)
            current.append(unit)
            size += n
        if current:
            chunks.append(current)
        return [(text, chunk[0].new_line) for chunk in chunks if (text := _join(chunk)).strip()]

    def _merge_short(self, groups: list[tuple[_Key, str, bool]]) -> list[tuple[_Key, str]]:
        """Join a too-short passage to the previous one of the same section when it fits."""
        merged: list[tuple[_Key, str]] = []
        for headings, text, new_line in groups:
            if merged:
                prev_headings, prev_text = merged[-1]
                short = word_count(text) < self.min_words or word_count(prev_text) < self.min_words
                fits = word_count(prev_text) + word_count(text) <= self.max_words
                if short and fits and prev_headings == headings:
                    merged[-1] = (prev_headings, prev_text + ("\n" if new_line else " ") + text)
                    continue
            merged.append((headings, text))
        return merged


@dataclass(frozen=True)
class _Unit:
    """A sentence of a section, whether it starts a line, and whether it leads into what follows."""

    text: str
    new_line: bool
    leads: bool


def _units(text: str) -> list[_Unit]:
    """A section's sentences in order; list items keep their mark, headings and lead-ins lead."""
    lines = normalize_lines(text).split("\n")
    units: list[_Unit] = []
    for index, line in enumerate(lines):
        item = line.startswith(LIST_ITEM)
        sentences = split_sentences(line)
        followed_by_item = index + 1 < len(lines) and lines[index + 1].startswith(LIST_ITEM)
        heading = not item and is_heading_line(line) and index + 1 < len(lines)
        for k, sentence in enumerate(sentences):
            last = k == len(sentences) - 1
            units.append(_Unit(LIST_ITEM + sentence if item and k == 0 else sentence, k == 0,
                               last and not item and (heading or followed_by_item)))
    return units


def _join(units: list[_Unit]) -> str:
    """Sentences of one passage: a line break where the source had one, else a space."""
    parts: list[str] = []
    for unit in units:
        if parts:
            parts.append("\n" if unit.new_line else " ")
        parts.append(unit.text)
    return normalize_lines("".join(parts))
