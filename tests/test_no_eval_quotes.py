"""No rule, comment or test quotes an evaluation question (the project's rule).

The evaluation questions (K-QA, NFCorpus, MEDIQA 2019) are not in the repository: their hashes are,
in ``tests/fixtures/eval_question_hashes.txt`` (built by ``scripts/check_eval_quotes.py
--write-hashes`` from ``../shared/data``): every normalised question of five to eight words and
every eight-word window of the longer ones. Every run of five to eight words of every text file
under ``src/`` and ``tests/`` is hashed the same way; a match is a quote. A shorter question (three
or four words: "What is gout?") is a quote when a whole quoted string is it. Knowledge-base headings and
generated follow-up questions are not rules, comments or tests (``allowed_text`` in the script).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_eval_quotes", ROOT / "scripts" / "check_eval_quotes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


check = _script()


def _hashes() -> set[str]:
    header, *hashes = check.HASHES.read_text(encoding="ascii").splitlines()
    assert header == check.HEADER, "the hash file was built with other window sizes: run the script with --write-hashes"
    return set(hashes)


def test_the_hashes_are_sha256_of_windows_of_the_evaluation_questions() -> None:
    hashes = _hashes()
    assert len(hashes) > 10_000 and all(len(h.removeprefix("s:")) == check.DIGITS for h in hashes)
    assert sum(h.startswith("s:") for h in hashes) > 100  # the short questions, quoted whole


def test_a_quoted_run_of_words_is_found_however_it_is_cased_and_punctuated() -> None:
    planted = {check.shingle_hash("one two three four five six")}
    assert check.collisions("x = 1\n# One, two -- THREE four\nfive: six!\n", planted) == [
        (2, "one two three four five six")]
    assert check.collisions("one two three four five sixty", planted) == []
    heading = '<Question qid="1">one two three four five six</Question>\n<Answer>one</Answer>'
    assert check.collisions(check.allowed_text("tests/fixtures/x.xml", heading), planted) == []


def test_a_short_question_is_a_quote_only_as_a_whole_quoted_string() -> None:
    planted = {"s:" + check.shingle_hash("what is gout")}
    assert check.quoted_collisions('x = ask("What is GOUT?")\ny = "what is gout, really?"\n', planted) == [
        (1, "what is gout")]
    assert check.quoted_collisions("# “What is gout?” and 'what is gout'\n", planted) == [
        (1, "what is gout"), (1, "what is gout")]
    assert check.quoted_collisions("# what is gout? unquoted\n", planted) == []
    source = '_hit("medquad:GARD:1", "Gout", "What is gout?")\n'
    assert check.quoted_collisions(check.allowed_text("tests/x.py", source), planted) == []


def test_no_file_under_src_or_tests_quotes_an_evaluation_question() -> None:
    hashes = _hashes()
    found = []
    for path in check.searched_files(ROOT, ("src", "tests")):
        text = check.read_text(path)
        if text is None:
            continue
        rel = path.relative_to(ROOT).as_posix()
        allowed = check.allowed_text(rel, text)
        found += [f"{rel}:{line}: {words}" for line, words in check.collisions(allowed, hashes)]
        found += [f"{rel}:{line}: {words}" for line, words in check.quoted_collisions(allowed, hashes)]
    assert not found, "evaluation questions quoted (rephrase them, or use another example):\n" + "\n".join(found)
