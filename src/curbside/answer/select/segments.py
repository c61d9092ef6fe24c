"""Split a passage into answer-sized pieces without rewriting it.

Every segment is a span ``text[start:end]`` of the passage text (after trimming leading list
marks and glued inline headings), so whatever the composer quotes is verbatim. The segmenter knows
the shapes of the bundled sources: MedQuAD answers with flattened " - item" lists and inline
headings ("Medications The health care provider may …"), footnote digits ("problems.1 Urolithiasis
is …"), and PubMed abstracts with study narration ("We analysed …", read by the model of ``narration.py``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from curbside.answer.select.narration import narration_model
from curbside.answer.understand.plans import compile_all, load_data
from curbside.ingest.injection import rule_only
from curbside.text import LIST_DASH_MARKER, split_sentences

_LIST_MARK = LIST_DASH_MARKER
_FOOTNOTE = re.compile(r"(?<=[a-z)]{2}[.!?])(\d{1,2})\s+(?=[A-Z])")
_PREPOSITIONS = frozenset({"for", "in", "during", "after", "before", "with", "at", "from", "on", "by"})
_TRAILING_FOOTNOTE = re.compile(r"[a-z)][.!?]\d{1,2}$")
_TERMINAL = (".", "!", ")", "\"", "'", "”", "%")
_VERBISH = re.compile(r"\b(is|are|was|were|be|been|can|may|might|will|should|must|has|have|had|do|does|did|"
                      r"causes?|include[sd]?|helps?|makes?|occurs?|shows?|uses?|needs?|means?)\b", re.I)


@dataclass(frozen=True)
class Rules:
    min_words: int
    item_min_words: int
    max_words: int
    dangling: frozenset[str]
    dangling_phrases: tuple[str, ...]
    pointing: frozenset[str]
    boilerplate: re.Pattern[str]  # navigation, as one pattern
    trim_leading: re.Pattern[str]
    glue_starters: frozenset[str]
    glue_headings: frozenset[str]
    glue_small: frozenset[str]


def _one_pattern(patterns: list[str], where: str) -> re.Pattern[str]:
    compile_all(patterns, where)  # names the broken one, if any
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@cache
def rules() -> Rules:
    data = load_data("composer")
    s, g = data["sentences"], data["glue"]
    return Rules(
        min_words=int(s["min_words"]), item_min_words=int(s["item_min_words"]), max_words=int(s["max_words"]),
        dangling=frozenset(w.lower() for w in s["dangling"]),
        dangling_phrases=tuple(p.lower() + " " for p in s.get("dangling_phrases", [])),
        pointing=frozenset(s.get("pointing", [])),
        boilerplate=_one_pattern(s["navigation"], "composer.toml:navigation"),
        trim_leading=re.compile(s["trim_leading"]),
        glue_starters=frozenset(g["starters"]), glue_headings=frozenset(g["headings"]),
        glue_small=frozenset(g["small"]),
    )


@dataclass(frozen=True)
class Segment:
    """One sentence, list introduction, list item or inline heading of a passage."""

    index: int
    start: int
    end: int
    text: str
    kind: str  # "sentence", "intro", "item" or "heading"
    parent: int | None = None  # for an item: the index of its introduction
    block: str = ""  # the inline heading in force ("Ureteroscopy")
    usable: bool = True  # fit to stand as a statement on its own
    dangling: bool = False  # starts with "This", "It" …: needs the sentence before it
    children: tuple[int, ...] = field(default_factory=tuple)  # for an intro: its items


def _word_count(text: str) -> int:
    return len(text.split())


def _spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end], located in ``text``."""
    out: list[tuple[int, int]] = []
    chunk = text[start:end]
    # Footnote digits glued to a full stop end the sentence too.
    cuts = [0] + [m.end(1) for m in _FOOTNOTE.finditer(chunk)] + [len(chunk)]
    for a, b in itertools.pairwise(cuts):
        part = chunk[a:b]
        cursor = 0
        for sentence in split_sentences(part):
            at = part.find(sentence, cursor)
            if at < 0:  # normalisation changed it; fall back to the whole remainder
                at = cursor
                sentence = part[cursor:].strip()
            out.append((start + a + at, start + a + at + len(sentence)))
            cursor = at + len(sentence)
    return [(a, b) for a, b in out if b > a]


def _glue_split(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Split a list item that swallowed the next sentence ("surgery Others at risk are …")."""
    piece = text[a:b]
    small = rules().glue_small
    for m in re.finditer(r"(?<=[a-z0-9)])\s+(?=[A-Z][a-z]+,?\s+[a-z(])", piece):
        before = piece[: m.start()].split()
        if not before or before[-1].lower() in small:
            continue
        rest = piece[m.end():]
        if _word_count(rest) >= 5:
            return [(a, a + m.start()), (a + m.end(), b)]
    return [(a, b)]


def _strip_glued_heading(sentence: str, *, repeated_only: bool = False) -> tuple[str, int]:
    """(heading, offset of the real sentence) when an inline heading is glued in front.
    ``repeated_only``: only a heading whose last words the sentence repeats ("Measuring Blood
    Pressure Blood pressure is …"), for text that otherwise keeps its headings on their own lines."""
    r = rules()
    tokens = list(re.finditer(r"\S+", sentence))
    words_ = [t.group(0) for t in tokens]

    def title_like(i: int) -> bool:
        w = words_[i].strip(",:;()")
        return w[:1].isupper() or w[:1].isdigit() or (i > 0 and w.lower() in r.glue_small)

    best = -1
    for j in range(1, min(len(words_) - 1, 11)):
        if not title_like(j - 1):
            break
        nxt, after = words_[j].strip(","), words_[j + 1]
        if not (nxt[:1].isupper() and len(nxt) > 1 and after[:1].islower()):
            continue
        heading_words = [w.strip(",:;()") for w in words_[:j]]
        if heading_words[-1].lower() in r.glue_small:
            continue
        heading = " ".join(words_[:j]).strip(",:; ")
        repeated = nxt.lower() in {w.lower() for w in heading_words}
        known = heading_words[-1] in r.glue_headings or (j == 1 and heading in r.glue_headings)
        long_title = sum(1 for w in heading_words if w[:1].isupper()) >= 3
        if repeated or (not repeated_only and (nxt in r.glue_starters or known or long_title)):
            best = j
    if best < 0:
        return "", 0
    return " ".join(words_[:best]).strip(",:; "), tokens[best].start()


#: A line of a list written one item a line, without marks: short and not a full sentence.
_LINE_ITEM_WORDS = 8


def _line_lists(text: str, raw: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A sentence that ends with a colon, then lines that each hold one short phrase ("Other signs
    include:" / "Shortness of breath" / "Dizziness"): a list introduction and its items, not a
    sentence and headings. The list ends at the first line that is a full sentence."""
    out = list(raw)
    for i, (a, b, kind) in enumerate(raw):
        if kind != "sentence" or not text[a:b].rstrip().endswith(":"):
            continue
        items = []
        end = b
        for j in range(i + 1, len(raw)):
            sa, sb, skind = raw[j]
            line = text[sa:sb].strip()
            if (skind != "sentence" or "\n" not in text[end:sa] or line.endswith((".", "!", "?", ":"))
                    or _word_count(line) > _LINE_ITEM_WORDS):
                break
            items.append(j)
            end = sb
        if items:
            out[i] = (a, b, "intro")
            for j in items:
                out[j] = (raw[j][0], raw[j][1], "item")
    return out


def _is_heading_only(sentence: str) -> bool:
    bare = sentence.strip().rstrip(".:")
    n = _word_count(bare)
    if n == 0 or not bare[:1].isupper() or _VERBISH.search(bare) or "," in bare:
        return False
    return n <= 3 or (n <= 6 and all(w[:1].isupper() or w in rules().glue_small for w in bare.split()))


def _quality(text: str, kind: str) -> bool:
    r = rules()
    if not text or text.endswith("?"):
        return False
    low = text.lower()
    if r.boilerplate.search(low):
        return False
    n = _word_count(text)
    if kind == "item":
        return 1 <= n <= r.max_words
    if n < (3 if kind == "intro" else r.min_words) or n > r.max_words:
        return False
    if not (text[:1].isupper() or text[:1].isdigit()):
        return False
    return kind == "intro" or text.endswith(_TERMINAL)


def _refers_back(sentence: str, previous: str) -> bool:
    """Whether a sentence leans on the one before it ("This …", "Finding these genes …",
    "The urine sample is …" right after a sentence about a urine sample)."""
    r = rules()
    tokens = [re.sub(r"[^a-z]", "", t.lower()) for t in sentence.split()[:4]]
    if not tokens:
        return False
    if tokens[0] in r.dangling or sentence.lower().startswith(r.dangling_phrases):
        return True
    if any(t in r.pointing for t in tokens[1:3]):
        return True
    at = 0 if tokens[0] == "the" else 1 if tokens[0] in _PREPOSITIONS and len(tokens) > 1 and tokens[1] == "the" else -1
    if at >= 0 and len(tokens) > at + 1 and previous:
        noun = tokens[at + 1]
        return len(noun) > 3 and re.search(rf"\b{re.escape(noun)}", previous.lower()) is not None
    return False


def _leads_in(text: str, start: int, end: int) -> bool:
    return text[start:end].rstrip().endswith(":")


def segment(text: str, *, research: bool = False) -> list[Segment]:
    """The passage's segments in reading order (cached: passages recur across questions). A research article's
    sentences that narrate its study ("We reviewed …", "The aim was …": ``narration.py``) are not usable."""
    return list(_segment(text, research))


@lru_cache(maxsize=8192)
def _segment(text: str, research: bool = False) -> tuple[Segment, ...]:
    r = rules()
    marks = list(_LIST_MARK.finditer(text))
    pieces: list[tuple[int, int, bool]] = []  # (start, end, is_list_item)
    prev_end, prev_item = 0, False
    for m in marks:
        pieces.append((prev_end, m.start(), prev_item))
        prev_end, prev_item = m.end(), True
    pieces.append((prev_end, len(text), prev_item))

    raw: list[tuple[int, int, str]] = []  # spans with a provisional kind
    for p_index, (a, b, is_item) in enumerate(pieces):
        if b <= a or not text[a:b].strip():
            continue
        followed_by_list = p_index + 1 < len(pieces) and pieces[p_index + 1][2]
        if is_item:
            spans = _glue_split(text, a, b)
            inside = _spans(text, spans[0][0], spans[0][1]) or [spans[0]]
            tail = inside[1:] + (_spans(text, spans[1][0], spans[1][1]) if len(spans) > 1 else [])
            # the item is its first sentence … unless it leads the items after it ("- Symptoms … may
            # include the following:" in a list of points)
            leads = not tail and followed_by_list and _leads_in(text, *inside[0])
            raw.append((inside[0][0], inside[0][1], "intro" if leads else "item"))
        else:
            tail = _spans(text, a, b)
        for i, (sa, sb) in enumerate(tail):
            # … and a sentence after it in the same item leads the next items only when it is left
            # open ("…, including"): the last full sentence of one point is not the heading of the
            # points after it
            last = i == len(tail) - 1 and (not is_item or not text[sa:sb].rstrip().endswith((".", "!", "?")))
            raw.append((sa, sb, "intro" if last and followed_by_list else "sentence"))

    lined = "\n" in text  # cleaned text keeps its headings on their own lines, but not always
    if lined:
        raw = _line_lists(text, raw)
    segments: list[Segment] = []
    block = ""
    intro: int | None = None
    children: dict[int, list[int]] = {}
    for a, b, kind in raw:
        span = text[a:b]
        lead = r.trim_leading.match(span)
        if lead:
            a += lead.end()
        while b > a and text[b - 1] in " ;,":
            b -= 1
        footnote = _TRAILING_FOOTNOTE.search(text, a, b)
        if footnote and footnote.end() == b:
            b = footnote.start() + 2
        if kind != "item":
            heading, offset = _strip_glued_heading(text[a:b], repeated_only=lined)
            if heading:
                block = heading
                a += offset
        piece = text[a:b]
        if not piece:
            continue
        index = len(segments)
        if kind == "sentence" and _is_heading_only(piece):
            block = piece.strip().rstrip(".:")
            segments.append(Segment(index, a, b, piece, "heading", block=block, usable=False))
            intro = None
            continue
        parent = None
        if kind == "item":
            parent = intro
            if intro is not None:
                children.setdefault(intro, []).append(index)
        elif kind == "intro":
            intro = index
        else:
            intro = None
        previous = segments[-1].text if segments and segments[-1].kind != "heading" else ""
        segments.append(Segment(
            index, a, b, piece, kind, parent=parent, block=block,
            # an item without its lead-in (a list the passage opens with) stands alone only as a whole sentence
            usable=_quality(piece, "sentence" if kind == "item" and parent is None else kind)
            and rule_only(piece) is None,  # the model reads what is quoted: service
            dangling=kind != "item" and _refers_back(piece, previous),
        ))
    model = narration_model() if research else None
    if model is not None:
        spoken = [s for s in segments if s.usable and s.kind != "heading"]
        told = {s.index for s, narrates in zip(spoken, model.narrates([s.text for s in spoken]), strict=True) if narrates}
        segments = [replace(s, usable=False) if s.index in told else s for s in segments]
    if children:
        segments = [replace(s, children=tuple(children.get(s.index, ()))) for s in segments]
    return tuple(segments)
