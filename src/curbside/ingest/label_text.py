"""Flat drug-label text (as openFDA serves it) back into readable, headed parts.

openFDA gives each label section as one flat string: the section number and title run into the
text ("2 DOSAGE AND ADMINISTRATION Recommended dosage: … ( 2.1 ). 2.1 Recommended Dosage The
recommended dosage is …"), tables are flattened into the prose (their cells one after the other)
and cross-references are left in ("[see Warnings and Precautions (5.1)]", "( 5.3 )"). This module:

- puts each table back where its flattened cells were, as lines (a caption, then rows with cells
  joined by " | ", as :mod:`curbside.ingest.dailymed` writes them); see :func:`table_lines`;
- removes cross-references and the highlight's section pointers (:func:`clean_references`);
- strips the section's own number and title from its start, keeping a boxed warning's capitalised
  title ("WARNING: SUICIDAL THOUGHTS AND BEHAVIORS") as a heading (:func:`strip_title`);
- splits at the section's numbered subsections ("2.1", "2.2" … in increasing order) and takes each
  one's title from the capitalised words that start it (:func:`numbered_parts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from curbside.text import normalize_space

# --- tables ----------------------------------------------------------------------------------

_SPACE_BEFORE = re.compile(r"\s+([,.;:)\]])")
_SPACE_AFTER = re.compile(r"([(\[])\s+")


def tidy(text: str) -> str:
    """Single-spaced, without the spaces openFDA leaves inside brackets and before punctuation."""
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", normalize_space(text)))


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.split("}")[-1] if isinstance(tag, str) else ""


@dataclass(frozen=True)
class Table:
    """One label table: its lines, and the forms its cells take when flattened into the prose."""

    lines: tuple[str, ...]
    flat: tuple[str, ...]


def parse_table(html: str) -> Table | None:
    """A ``*_table`` value (an XHTML ``<table>``) as lines; ``None`` when it has no text or is not XML."""
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True)
        root = etree.fromstring(html.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    lines: list[str] = []
    for caption in root.iter("caption"):
        text = clean_references(" ".join(caption.itertext()))
        if text:
            lines.append(text)
    for row in root.iter("tr"):
        cells = [clean_references(" ".join(cell.itertext())) for cell in row if _local(cell) in ("td", "th")]
        cells = [c for c in cells if c]
        if cells:
            lines.append(" | ".join(cells))
    if not lines:
        return None
    flat = (" ".join(" ".join(root.itertext()).split()), " ".join("".join(root.itertext()).split()))
    return Table(tuple(lines), tuple(dict.fromkeys(f for f in flat if f)))


#: Stands for a table inside flat text until the text is split into lines ("⟦3⟧"; printable, so
#: normalising keeps it, and not a letter, digit or bracket the cleaning looks at).
_MARK_RE = re.compile(r"⟦(\d+)⟧")


def place_tables(text: str, tables: list[Table], placed: set[int]) -> str:
    """``text`` with each table whose flattened cells it contains replaced by a placeholder; the
    indexes of the tables placed are added to ``placed`` (each table goes in one place only)."""
    for index, table in enumerate(tables):
        if index in placed:
            continue
        for flat in table.flat:
            at = text.find(flat)
            if at >= 0:
                text = f"{text[:at]} ⟦{index}⟧ {text[at + len(flat):]}"
                placed.add(index)
                break
    return text


def expand_tables(text: str, tables: list[Table]) -> str:
    """Placeholders replaced by their tables' lines, each table on lines of its own."""
    def lines(match: re.Match[str]) -> str:
        return "\n" + "\n".join(tables[int(match.group(1))].lines) + "\n"
    out = _MARK_RE.sub(lines, text)
    return "\n".join(line.strip() for line in out.split("\n") if line.strip())


# --- cross-references ------------------------------------------------------------------------

_NUM = r"\d+(?:\.\d+)*"
_REFERENCES = (
    re.compile(r"\[\s*see\b[^\[\]]*\]", re.IGNORECASE),  # [see Warnings and Precautions (5.1)]
    re.compile(r"\(\s*see\b(?:[^()]|\([^()]*\))*\)", re.IGNORECASE),  # (see WARNINGS, Fungal infections)
    re.compile(rf"\(\s+{_NUM}(?:\s*[,;–-]\s*{_NUM})*\s+\)"),  # highlights: ( 2.1 ), ( 5.1 , 5.2 )
    re.compile(rf"\(\d+\.\d+(?:\.\d+)*(?:\s*[,;–-]\s*{_NUM})*\)"),  # (5.1), (5.1, 6)
)


def clean_references(text: str) -> str:
    """``text`` without cross-references to other label sections."""
    for pattern in _REFERENCES:
        text = pattern.sub(" ", text)
    return tidy(text)


# --- a section's own title, and its numbered subsections ---------------------------------------

_LEAD_NUMBER = re.compile(rf"^({_NUM})\.?\s+")


def _title_pattern(title: str) -> str:
    words = re.split(r"\s+", title.strip().lower())
    parts = [r"(?:and|&)" if w == "and" else r"\s*/\s*".join(map(re.escape, w.split("/"))) for w in words]
    return r"\s+".join(parts)


_CAPS_RUN = re.compile(r"^((?:(?:[A-Z0-9&/,:()'’\-]*[A-Z][A-Z0-9&/,:()'’\-]*|&)\s+){2,16})(?=\S)")


def strip_title(text: str, titles: tuple[str, ...]) -> tuple[str, str, str]:
    """``(number, heading, text)``: the section number and the title it starts with removed.

    ``number`` is the section's number ("2", "8.1", or "" when unnumbered). ``heading`` is a
    capitalised title left after the known ``titles`` were removed ("WARNING: SUICIDAL THOUGHTS
    AND BEHAVIORS"), else "".
    """
    number = ""
    if match := _LEAD_NUMBER.match(text):
        number, text = match.group(1), text[match.end():]
    for title in sorted(titles, key=len, reverse=True):
        if match := re.match(rf"{_title_pattern(title)}(?:\s+section)?\s*[:.]?(?:\s+|$)", text, re.IGNORECASE):
            text = text[match.end():]
            break
    heading = ""
    match = _CAPS_RUN.match(text)
    rest = text[match.end():].split(" ", 1)[0] if match else ""
    # A title, not text in capitals: mixed-case text follows it, and it has a word of 3+ letters.
    if match and not _is_caps(rest) and any(sum(c.isalpha() for c in w) >= 3 for w in match.group(1).split()):
        heading, text = match.group(1).strip().rstrip(":").strip(), text[match.end():]
    return number, heading, text.strip()


_CONNECTORS = frozenset(["a", "an", "and", "or", "of", "in", "on", "at", "by", "for", "from", "to", "the", "with", "without", "during", "after", "before", "versus", "vs", "including", "due", "other", "than", "into", "per"])
#: Verbs a label sentence starts with: a capitalised word before a drug name in capitals is the
#: start of the text ("Administer LIPITOR orally"), not the end of the title.
_VERBS = frozenset(["administer", "take", "give", "use", "start", "initiate", "discontinue", "stop", "monitor", "assess", "evaluate", "avoid", "consider", "reduce", "increase", "adjust", "dilute", "reconstitute", "inject", "swallow", "store", "advise", "inform", "instruct", "counsel", "obtain", "measure", "titrate", "continue", "interrupt", "withhold", "resume", "dispense", "keep", "tell"])


def _is_caps(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def split_title(text: str, names: frozenset[str] = frozenset(), max_words: int = 12) -> tuple[str, str]:
    """``(title, text)`` of a subsection whose title runs into its text ("Recommended Dosage The
    recommended dosage is …"): the title is the capitalised words before the first sentence. A
    drug's own name (in ``names``, lower case) after the title starts the text ("Hepatotoxicity
    LIPITOR may cause …")."""
    tokens = text.split(" ")
    first = next((i for i, t in enumerate(tokens) if t[:1].islower() and t.lower().strip(",;") not in _CONNECTORS), None)
    if first is None or first < 2:
        return "", text
    start = first - 1
    while start > 0 and tokens[start] in _CONNECTORS:  # lower-case "of", "and": still the title
        start -= 1
    if _is_caps(tokens[start]) and start > 0 and tokens[start - 1].lower() in _VERBS:
        start -= 1
    while start > 1 and tokens[start - 1].lower().rstrip("®™*") in names:
        start -= 1
    for i, token in enumerate(tokens[:start]):  # a title ends at a colon or full stop
        if token.endswith((":", ".")) and i + 1 < start:
            start = i + 1
            break
    title = " ".join(tokens[:start]).rstrip(":.").strip()
    if not title or start > max_words or not all(t[:1].isupper() or t[:1].isdigit() or t.lower() in _CONNECTORS
                                                 or t[:1] in "(&/-" for t in tokens[:start]):
        return "", text
    return title, " ".join(tokens[start:])


def numbered_parts(text: str, number: str, names: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """``(subsection title, text)`` parts of a section numbered ``number``, split at its own
    subsection numbers in increasing order ("2.1 …", "2.2 …"); the text before the first comes
    first with an empty title. Unnumbered sections are one part. ``names``: see :func:`split_title`."""
    top = number.split(".")[0]
    if not top:
        return [("", text)]
    marker = re.compile(rf"(?<![\w.,(/\-–]){re.escape(top)}((?:\.\d+)+)\s+(?=[A-Z⟦])")
    cuts: list[tuple[int, int]] = []
    last: tuple[int, ...] = tuple(int(p) for p in number.split(".")[1:])
    for match in marker.finditer(text):
        key = tuple(int(p) for p in match.group(1).strip(".").split("."))
        if key > last:
            cuts.append((match.start(), match.end()))
            last = key
    parts: list[tuple[str, str]] = []
    lead = text[: cuts[0][0] if cuts else len(text)].strip()
    if lead:
        parts.append(("", lead))
    for i, (_, end) in enumerate(cuts):
        body = text[end: cuts[i + 1][0] if i + 1 < len(cuts) else len(text)].strip()
        title, body = split_title(body, names)
        if body:
            parts.append((title, body))
    return parts
