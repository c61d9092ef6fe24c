"""One word vocabulary: the composer and the verifier read words the same way."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import curbside
from curbside.answer import verify
from curbside.answer.select import segments
from curbside.answer.understand import terms
from curbside.text import LIST_DASH_BREAK, LIST_DASH_MARKER, LIST_ENUMERATOR, split_sentences

PACKAGE = Path(curbside.__file__).parent


def test_the_verifier_uses_the_vocabulary_of_terms() -> None:
    assert verify.STOPWORDS is terms.STOPWORDS and verify.stem is terms.stem
    # words both old lists had on their own are stopwords for both now
    assert {"although", "usually", "yet", "please", "really", "shall"} <= terms.STOPWORDS
    assert "need" not in terms.STOPWORDS and verify.content_words("You may need treatment") == ["need", "treatment"]
    assert terms.stem("calcifications") == terms.stem("calcified") == "calcif"
    text = "Usually the covid-19 rate was 3.5 per 100 — not often higher."
    assert verify.content_words(text) == ["covid", "rate", "higher"]  # numbers are checked apart
    assert terms.content_words(text) == ["covid-19", "rate", "3.5", "100", "higher"]


def test_list_markers_are_declared_once_in_text() -> None:
    assert segments._LIST_MARK is LIST_DASH_MARKER
    assert verify.parse_markers("2) Rest the ankle [1].") == ("Rest the ankle.", [1])
    assert LIST_ENUMERATOR.sub("", "• item") == "item" and LIST_DASH_MARKER.search("3 - 6 weeks") is None
    assert LIST_DASH_BREAK.split("Signs: - Pain - Swelling") == ["Signs:", "Pain", "Swelling"]
    assert split_sentences("Signs include - Pain at rest - Swelling") == ["Signs include", "Pain at rest", "Swelling"]


def test_no_other_module_declares_stopwords_or_a_stemmer() -> None:
    """A second word list or stemmer would let composer and verifier disagree again."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "terms.py" and path.parent.name == "understand":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign):
                names = [t.id for t in node.targets
                         if isinstance(t, ast.Name) and re.fullmatch(r"_?STOP_?WORDS?(_TEXT)?", t.id)]
            elif isinstance(node, ast.FunctionDef) and re.fullmatch(r"_?(stem|content_words)", node.name):
                names = [] if path.name == "verify.py" and node.name == "content_words" else [node.name]
            else:
                names = []
            offenders += [f"{path.relative_to(PACKAGE)}:{name}" for name in names]
    assert offenders == []
