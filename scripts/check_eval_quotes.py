"""Find evaluation questions quoted in the repository's rules, comments, tests, docs and scripts.

Rule of the project: a rule, comment or test never quotes an evaluation question. The evaluation
questions are those of K-QA (``kqa-dev/kqa_dev.jsonl``, ``kqa_questions_unanswered.jsonl``),
NFCorpus (``nfcorpus/queries.jsonl``) and MEDIQA 2019 (Task 3 ``<QuestionText>``, Task 2 RQE
``<chq>`` and ``<faq>``), read from ``../shared/data`` (outside the repository).

Text is normalised (lower case, every run of non-alphanumerics one space); every question of five
words or more whose normalised form occurs, word-aligned, in the normalised text of a file under
``src/``, ``tests/``, ``docs/``, ``scripts/`` or ``bench/`` is printed as ``file:line: question``.
Not searched: ``docs/benchmarks.md`` (reports results and may name failed examples),
``bench/data/*.jsonl`` and ``bench/results/*`` (label and result data), and binary files (the
packed knowledge base among them). A hit in text that is neither a rule, a comment nor a test is
marked ``[allowed: …]`` (see :func:`allowed_text`).

    python scripts/check_eval_quotes.py [--data ../shared/data]
    python scripts/check_eval_quotes.py --write-hashes

``--write-hashes`` writes ``tests/fixtures/eval_question_hashes.txt`` for
``tests/test_no_eval_quotes.py``, which needs no ``../shared``: the SHA-256 of every normalised
question of MIN_WORDS to WINDOW words and of every WINDOW-word window (shingle) of the longer ones,
sorted and deduplicated. A window found in COMMON or more distinct questions is stock phrasing, not
a quote ("i would like to know if there is"), and is left out. The test hashes every run of
MIN_WORDS to WINDOW words of each file and fails on any hash in the list.

Shorter questions ("What is gout?", SHORT_MIN to MIN_WORDS - 1 words; for NFCorpus only its titles that
end in "?", the rest are topic names) are quotes only as a whole quoted string (between “ ”, " " or
' ' on one line): their hashes are written with the prefix ``s:``. A line that cites a knowledge-base
record (``medquad:…``) holds source text, not a rule, a comment or a test.
Exit status: 1 when a quote outside the allowed text was found (without ``--write-hashes``), else 0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HASHES = ROOT / "tests" / "fixtures" / "eval_question_hashes.txt"
MIN_WORDS = 5
SHORT_MIN = 3
WINDOW = 8
COMMON = 3
DIGITS = 16  # hex digits of SHA-256 kept (64 bits: no chance collision among ~10^5 windows)
HEADER = f"# min_words={MIN_WORDS} window={WINDOW} short_min={SHORT_MIN} sha256_hex_digits={DIGITS}"
SEARCHED = ("src", "tests", "docs", "scripts", "bench")
WORD = re.compile(r"[^\W_]+")
_KB_HEADING = re.compile(r"<Question\b[^>]*>.*?</Question>", re.DOTALL)
_QUOTED = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"|'([^'\n]+)'")
_SOURCE_LINE = re.compile(r"^.*\bmedquad:.*$", re.MULTILINE)
_FOLLOW_UPS = re.compile(r"^## Follow-up questions\n.*?(?=^#|^---|\Z)", re.DOTALL | re.MULTILINE)


def normalise_tokens(text: str) -> list[str]:
    """Lower-cased alphanumeric runs: the normalised text is these joined by single spaces."""
    return [m.group().lower() for m in WORD.finditer(text)]


def normalise(text: str) -> str:
    return " ".join(normalise_tokens(text))


def shingle_hash(text: str) -> str:
    """The hash of a normalised text (the first :data:`DIGITS` hex digits of its SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGITS]


def windows(words: list[str]) -> Iterator[tuple[int, str]]:
    """(position, text) of every run of MIN_WORDS to WINDOW words: what the hashes are compared with."""
    for n in range(MIN_WORDS, WINDOW + 1):
        for i in range(len(words) - n + 1):
            yield i, " ".join(words[i : i + n])


def _blank(match: re.Match[str]) -> str:
    return "\n" * match.group(0).count("\n")  # lines keep their numbers


def allowed_text(rel: str, text: str) -> str:
    """``text`` less what is neither a rule, a comment nor a test, so may repeat an evaluation question:
    the ``<Question>`` headings of knowledge-base documents (MedQuAD pages, whose headings MEDIQA's
    FAQ questions are) and the follow-up questions a golden or example answer lists (made from the
    plans' question templates, "What are the symptoms of {topic}?")."""
    if rel.endswith(".xml"):
        text = _KB_HEADING.sub(_blank, text)
    text = _SOURCE_LINE.sub("", text)
    if rel.startswith(("tests/fixtures/answer/golden/", "docs/examples/")) and rel.endswith(".md"):
        text = _FOLLOW_UPS.sub(_blank, text)
    return text


def _jsonl(path: Path, field: str) -> Iterator[str]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield str(json.loads(line)[field])


def _xml(path: Path, tags: tuple[str, ...]) -> Iterator[str]:
    root = ET.parse(path).getroot()
    for tag in tags:
        for el in root.iter(tag):
            yield "".join(el.itertext())


def evaluation_questions(data: Path) -> dict[str, str]:
    """Normalised question -> one original wording, for every evaluation question."""
    texts: list[str] = []
    texts += _jsonl(data / "kqa-dev" / "kqa_dev.jsonl", "question")
    texts += _jsonl(data / "kqa-dev" / "kqa_questions_unanswered.jsonl", "question")
    texts += [t if t.rstrip().endswith("?") else f"{t} [topic]"  # a topic name is not a short question
              for t in _jsonl(data / "nfcorpus" / "queries.jsonl", "text")]
    task3 = sorted((data / "mediqa2019").glob("*Task3*.xml"))
    rqe = sorted((data / "mediqa2019").glob("*Task2-RQE*.xml"))
    if not task3 or not rqe:
        raise SystemExit(f"no MEDIQA 2019 files under {data / 'mediqa2019'}")
    for path in task3:
        texts += _xml(path, ("QuestionText",))
    for path in rqe:
        texts += _xml(path, ("chq", "faq"))
    questions: dict[str, str] = {}
    for text in texts:
        norm = normalise(text.removesuffix(" [topic]"))
        if norm:
            questions.setdefault(norm, " ".join(text.split()))
    return questions


def short_questions(questions: dict[str, str]) -> set[str]:
    """The normalised questions of SHORT_MIN to MIN_WORDS - 1 words (not NFCorpus topic names)."""
    return {norm for norm, text in questions.items()
            if SHORT_MIN <= len(norm.split()) < MIN_WORDS and not text.endswith(" [topic]")}


def searched_files(root: Path = ROOT, tops: Iterable[str] = SEARCHED) -> Iterator[Path]:
    for top in tops:
        for path in sorted((root / top).rglob("*")):
            if (not path.is_file() or "__pycache__" in path.parts or path == HASHES
                    or any(part.endswith(".egg-info") for part in path.parts)):  # built by pip, not ours
                continue
            rel = path.relative_to(root).as_posix()
            if rel == "docs/benchmarks.md" or rel.startswith("bench/results/"):
                continue
            if rel.startswith("bench/data/") and rel.endswith(".jsonl"):
                continue
            yield path


def read_text(path: Path) -> str | None:
    """The file's text, or None for a binary file."""
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


Index = dict[tuple[str, ...], list[list[str]]]


def quote_index(questions: Iterable[str]) -> Index:
    """The normalised questions of MIN_WORDS words or more (as word lists) by their first MIN_WORDS words."""
    by_head: Index = {}
    for norm in questions:
        words = norm.split()
        if len(words) >= MIN_WORDS:
            by_head.setdefault(tuple(words[:MIN_WORDS]), []).append(words)
    return by_head


def find_quotes(questions: dict[str, str], by_head: Index, text: str) -> list[tuple[int, str]]:
    """(line, question) for every indexed question (``by_head``, of ``questions``) found in ``text``."""
    matches = list(WORD.finditer(text))
    words = [m.group().lower() for m in matches]
    hits = []
    for i in range(len(words) - MIN_WORDS + 1):
        for q in by_head.get(tuple(words[i : i + MIN_WORDS]), ()):
            if words[i : i + len(q)] == q:
                hits.append((text.count("\n", 0, matches[i].start()) + 1, questions[" ".join(q)]))
    return hits


def question_hashes(questions: Iterable[str]) -> set[str]:
    """The hashes ``--write-hashes`` writes (see the module's doc)."""
    kept: set[str] = set()
    counts: Counter[str] = Counter()
    for norm in questions:
        words = norm.split()
        if len(words) < MIN_WORDS:
            continue
        if len(words) <= WINDOW:
            kept.add(norm)  # a whole question is always a quote
        counts.update({" ".join(words[i : i + WINDOW]) for i in range(len(words) - WINDOW + 1)})
    kept.update(w for w, n in counts.items() if n < COMMON)
    return {shingle_hash(w) for w in kept}


def short_hashes(questions: dict[str, str]) -> set[str]:
    """The ``s:`` hashes of the short questions (whole quoted strings only)."""
    return {"s:" + shingle_hash(norm) for norm in short_questions(questions)}


def quoted_collisions(text: str, hashes: set[str]) -> list[tuple[int, str]]:
    """(line, words) of every quoted string of SHORT_MIN to MIN_WORDS - 1 words whose ``s:`` hash is in
    ``hashes``."""
    out = []
    for match in _QUOTED.finditer(text):
        norm = normalise(next(g for g in match.groups() if g is not None))
        if SHORT_MIN <= len(norm.split()) < MIN_WORDS and "s:" + shingle_hash(norm) in hashes:
            out.append((text.count("\n", 0, match.start()) + 1, norm))
    return out


def collisions(text: str, hashes: set[str]) -> list[tuple[int, str]]:
    """(line, words) of every run of MIN_WORDS to WINDOW words of ``text`` whose hash is in ``hashes``."""
    matches = list(WORD.finditer(text))
    words = [m.group().lower() for m in matches]
    return [(text.count("\n", 0, matches[i].start()) + 1, run) for i, run in windows(words)
            if shingle_hash(run) in hashes]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--write-hashes", action="store_true", help=f"write {HASHES.relative_to(ROOT)}")
    args = parser.parse_args()
    questions = evaluation_questions(args.data)
    if args.write_hashes:
        hashes = sorted(question_hashes(questions) | short_hashes(questions))
        HASHES.write_text(HEADER + "\n" + "".join(f"{h}\n" for h in hashes), encoding="ascii")
        print(f"wrote {len(hashes)} hashes ({len(questions)} questions) to {HASHES.relative_to(ROOT)}")
        return 0
    found = allowed = 0
    by_head = quote_index(questions)
    short = short_hashes(questions)
    for path in searched_files():
        text = read_text(path)
        if text is None:
            continue
        rel = path.relative_to(ROOT).as_posix()
        kept = Counter(find_quotes(questions, by_head, allowed_text(rel, text)))
        for line, question in find_quotes(questions, by_head, text):
            note = ""
            if kept[line, question] > 0:
                kept[line, question] -= 1
                found += 1
            else:
                note = " [allowed: a knowledge-base heading or a generated follow-up question]"
                allowed += 1
            print(f"{rel}:{line}: {question}{note}")
        for line, words in quoted_collisions(allowed_text(rel, text), short):
            found += 1
            print(f"{rel}:{line}: {words} [a short question, quoted whole]")
    print(f"{found} quotes of evaluation questions ({allowed} more allowed)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
