"""MedQuAD answer text back to lines: paragraphs, headings, list items and symptom tables.

MedQuAD's answers are web pages flattened to plain text. What is left of the page's structure,
and how each is restored (one line each; list items start with ``"- "``, see
:data:`curbside.text.LIST_ITEM`):

- line breaks (NIDDK, CDC, CancerGov) → kept, so a heading ("Calcium Phosphate Stones") no longer
  runs into the list item before it;
- runs of two or more spaces (GHR, MedlinePlus) → a paragraph break, or a list item when a dash
  follows;
- " - " right after a sentence's end or a colon (NIHSeniorHealth) → a list item; a " - " inside a
  sentence ("Peritonitis - an inflammation") is a dash and stays;
- GARD's Human Phenotype Ontology tables ("Signs and Symptoms Approximate number of patients (when
  available) Ataxia 90% Seizures - …") → one item per row, its frequency in brackets;
- a restated question opening the answer ("What are the signs and symptoms of X? …") → dropped
  (the section is already headed by the question);
- glued words, footnote numbers and contractions without apostrophes → repaired (:mod:`curbside.ingest.text_repair`).
"""

from __future__ import annotations

import re

from curbside.ingest.text_repair import (
    document_vocabulary,
    repair_glued_words,
    restore_contractions,
    strip_footnote_marks,
)
from curbside.text import LIST_ITEM, normalize_space

_TABLE_START = "Signs and Symptoms Approximate number of patients (when available)"
_TABLE_END = "The Human Phenotype Ontology (HPO)"
_TABLE_ROW = re.compile(r"\s*(.+?)\s+(-|\d+(?:\.\d+)?%|\d+/\d+)(?=\s|$)")
# Item marks: two or more spaces then a dash, or a dash right after a sentence end or a colon.
_ITEM_MARK = re.compile(r"(?:\s{2,}|(?<=[.:!?])\s+|^\s*)-\s+(?=\S)")
_PARAGRAPH = re.compile(r"(?<=\S)\s{2,}(?=[A-Z0-9(\"'])")
_ECHOED_QUESTION = re.compile(r"^(?:What|How|Who|Is|Are|Do|Does|Can|When|Where|Why)\b[^.!?]{3,200}\?\s+(?=[A-Z])")


def _table_rows(body: str) -> list[str]:
    rows: list[str] = []
    for match in _TABLE_ROW.finditer(body):
        name, value = normalize_space(match.group(1)), match.group(2)
        if name:
            rows.append(name if value == "-" else f"{name} ({value})")
    return rows


def _restore_table(raw: str) -> str:
    start = raw.find(_TABLE_START)
    if start < 0:
        return raw
    end = raw.find(_TABLE_END, start)
    if end < 0:
        return raw
    body = raw[start + len(_TABLE_START):end]
    rows = _table_rows(body)
    if not rows:
        return raw
    table = "\n" + _TABLE_START + ":\n" + "\n".join(LIST_ITEM + row for row in rows) + "\n"
    return raw[:start] + table + raw[end:]


def _line_pieces(line: str) -> list[str]:
    """One physical line split into paragraphs and list items."""
    out: list[str] = []
    marks = list(_ITEM_MARK.finditer(line))
    bounds = [(0, False)] + [(m.end(), True) for m in marks]
    ends = [m.start() for m in marks] + [len(line)]
    for (start, is_item), end in zip(bounds, ends, strict=True):
        chunk = line[start:end]
        parts = _PARAGRAPH.split(chunk)
        for k, part in enumerate(parts):
            text = normalize_space(part)
            if not text or text == "-":
                continue
            out.append(LIST_ITEM + text if is_item and k == 0 else text)
    return out


def _clean(line: str, vocabulary: frozenset[str]) -> str:
    return restore_contractions(repair_glued_words(strip_footnote_marks(line), vocabulary))


def answer_text(raw: str) -> str:
    """A MedQuAD answer as line-structured text (see the module docstring)."""
    raw = _restore_table(raw.replace("\r", ""))
    lines: list[str] = []
    for physical in raw.split("\n"):
        lines.extend(_line_pieces(physical))
    if lines:
        lines[0] = _ECHOED_QUESTION.sub("", lines[0], count=1)
    vocabulary = document_vocabulary("\n".join(lines))
    return "\n".join(cleaned for cleaned in (_clean(line, vocabulary) for line in lines) if cleaned.strip(" -"))
