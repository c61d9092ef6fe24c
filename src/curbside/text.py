"""Plain-text helpers shared by ingest and composition: normalising, sentences, words."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WS = re.compile(r"\s+")
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
#: … a dash item marker anywhere in flattened text (not in a range "3 - 6"; ``answer/segments.py``) …
LIST_DASH_MARKER = re.compile(r"(?:^|(?<=[^\d\s])\s)-\s+(?=[A-Za-z(0-9*\"'])")
#: … and an enumerator opening a list item: "1." "2)" "-" "*" "•" (``answer/verify.py``).
LIST_ENUMERATOR = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+")
_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'-][A-Za-z0-9]+)*")
_NUMBER = re.compile(r"(?<![A-Za-z])\d+(?:[.,]\d+)?")


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


def split_sentences(text: str) -> list[str]:
    """Split running text into sentences, keeping decimals, abbreviations and list items intact."""
    text = normalize_space(text)
    if not text:
        return []
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


def words(text: str) -> list[str]:
    """Lower-cased word tokens (keeps '3.5', "don't", 'covid-19')."""
    return [w.lower() for w in _WORD.findall(text)]


def numbers(text: str) -> set[str]:
    """The numbers written in ``text`` ('3-6 months' → {'3', '6'}), commas removed."""
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def word_count(text: str) -> int:
    return len(text.split())
