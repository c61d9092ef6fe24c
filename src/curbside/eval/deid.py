"""De-identification evaluation on a planted set: identifiers masked, medical terms kept, per kind.

The planted file has one message per paragraph; ``{KIND:text}`` marks an identifier and
``[[text]]`` a medical term or eponym that must survive (``tests/fixtures/consult/deid_planted.txt``).
An identifier counts as masked when every letter and digit of it lies inside a finding; a medical
term counts as kept when no finding touches it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from curbside.consult.deid import Deidentifier
from curbside.consult.findings import Finding

_MARK = re.compile(r"\{([A-Z]+):([^{}]+)\}|\[\[([^\[\]]+)\]\]")


@dataclass(frozen=True)
class Planted:
    """One message: clean text, planted identifiers (kind, start, end) and medical terms (start, end)."""

    text: str
    identifiers: tuple[tuple[str, int, int], ...]
    terms: tuple[tuple[int, int], ...]


@dataclass
class DeidReport:
    messages: int = 0
    identifiers: Counter[str] = field(default_factory=Counter)
    masked: Counter[str] = field(default_factory=Counter)
    terms: int = 0
    kept: int = 0
    missed: list[str] = field(default_factory=list)
    lost_terms: list[str] = field(default_factory=list)

    @property
    def identifier_recall(self) -> float:
        total = sum(self.identifiers.values())
        return sum(self.masked.values()) / total if total else 0.0

    @property
    def term_retention(self) -> float:
        return self.kept / self.terms if self.terms else 0.0

    def per_kind(self) -> dict[str, tuple[int, int, float]]:
        """kind → (planted, masked, share masked)."""
        return {k: (n, self.masked[k], self.masked[k] / n) for k, n in sorted(self.identifiers.items())}


def parse_planted(raw: str) -> list[Planted]:
    """The messages of a planted file (comment lines start with '#')."""
    lines = [line for line in raw.splitlines() if not line.lstrip().startswith("#")]
    out = []
    for block in "\n".join(lines).split("\n\n"):
        block = " ".join(block.split())
        if not block:
            continue
        text, ids, terms, pos = [], [], [], 0
        cursor = 0
        for match in _MARK.finditer(block):
            text.append(block[cursor:match.start()])
            pos += match.start() - cursor
            value = match.group(2) or match.group(3)
            if match.group(1):
                ids.append((match.group(1), pos, pos + len(value)))
            else:
                terms.append((pos, pos + len(value)))
            text.append(value)
            pos += len(value)
            cursor = match.end()
        text.append(block[cursor:])
        out.append(Planted("".join(text), tuple(ids), tuple(terms)))
    return out


def load_planted(path: Path) -> list[Planted]:
    return parse_planted(path.read_text(encoding="utf-8"))


def evaluate(deidentifier: Deidentifier, items: list[Planted]) -> DeidReport:
    """Run the de-identifier on every message and count what was masked and kept."""
    report = DeidReport()
    for item in items:
        findings = deidentifier.find(item.text)
        report.messages += 1
        for kind, start, end in item.identifiers:
            report.identifiers[kind] += 1
            if _covered(item.text, start, end, findings):
                report.masked[kind] += 1
            else:
                report.missed.append(f"{kind}: {item.text[start:end]}")
        for start, end in item.terms:
            report.terms += 1
            if any(f.start < end and start < f.end for f in findings):
                report.lost_terms.append(item.text[start:end])
            else:
                report.kept += 1
    return report


def _covered(text: str, start: int, end: int, findings: list[Finding]) -> bool:
    return all(any(f.start <= i < f.end for f in findings) for i in range(start, end) if text[i].isalnum())


def masks_in(deidentifier: Deidentifier, texts: list[str]) -> tuple[int, list[str]]:
    """Words in ``texts`` and every mask found in them (``KIND: text``): over-masking on real text."""
    words = sum(len(t.split()) for t in texts)
    found = [f"{f.kind}: {t[f.start:f.end]}" for t in texts for f in deidentifier.find(t)]
    return words, found


#: What the planted sets' conventions would mark in ordinary text: a month with a number or a year (DATE), a kind of
#: institution (FACILITY); spaCy's GPE, LOC and FAC entities are checked too (:func:`without_identifiers`; its DATE
#: entities are mostly durations, "within weeks", which no convention marks).
_DATE_LIKE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\b(?:19|20)\d\d\b",
                        re.I)
_INSTITUTION = re.compile(r"\b(?:hospital|clinic|cent(?:er|re)|universit|institut|school|college|infirmary|"
                          r"foundation|department|ministry)", re.I)


def without_identifiers(sentences: list[str]) -> list[str]:
    """The sentences in which nothing would be an identifier by the planted sets' conventions: no place, date or
    institution (spaCy's GPE, LOC and FAC entities, a month with a number, a year, a kind of institution).
    Names are not checked: in medical text they are eponyms and authors, and a tagger must leave eponyms alone."""
    from curbside.consult.tagger import _nlp

    nlp = _nlp()
    keep = []
    for sentence, doc in zip(sentences, nlp.pipe(sentences, batch_size=64), strict=True):
        if _DATE_LIKE.search(sentence) or _INSTITUTION.search(sentence):
            continue
        if any(e.label_ in {"GPE", "LOC", "FAC"} for e in doc.ents):
            continue
        keep.append(sentence)
    return keep


def pack_texts(holdout: int, *, held: bool) -> dict[str, list[list[str]]]:
    """Ordinary medical text with no personal data: the sentences of each passage of the bundled starter pack, by
    source kind (drug label, patient page, research abstract). One source in ``holdout`` (by a hash of its id) is
    held (``held=True`` returns those, ``False`` the rest), so that a tagger trained on some of this text is measured
    on the rest (``bench/deid.py overmask``). A passage's heading line and sentences under five words are left out;
    callers keep the sentences :func:`without_identifiers` passes."""
    import zlib

    from curbside.kb.packs import iter_pack, starter_pack_dir
    from curbside.text import split_sentences

    pools: dict[str, list[list[str]]] = {}
    for document, passages in iter_pack(starter_pack_dir()):
        if (zlib.crc32(document.source.id.encode()) % holdout == 0) != held:
            continue
        pool = pools.setdefault(str(document.source.kind), [])
        for passage in passages:
            heading = passage.headings[-1] if passage.headings else ""
            sentences = [s for s in split_sentences(passage.text) if s != heading and len(s.split()) >= 5]
            if sentences:
                pool.append(sentences)
    return pools
