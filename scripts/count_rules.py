"""Count the hand-written rules of the answer pipeline (issue 22, item 6): regular expressions and
listed words, in a source tree of curbside (this one, or an earlier commit checked out elsewhere).

    python scripts/count_rules.py [SRC_DIR ...]      # default: this tree's src/

A regular expression is a ``re.compile`` call in ``curbside/answer/**.py`` or a string in the
answer package's TOML rule files that uses regular-expression syntax (``\\b``, a group, an
alternation, a class or a quantifier) and compiles; a listed word is any other string of at most
three words in those files. Printed as one JSON object per tree.
"""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_SYNTAX = re.compile(r"\\[bdswBDSW]|[()|\[\]?*+]|\{\d")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _is_regex(text: str) -> bool:
    if not _SYNTAX.search(text) or ("{" in text and "}" in text and not re.search(r"\{\d", text)):
        return False
    try:
        re.compile(text)
    except re.error:
        return False
    return True


def count(src: Path) -> dict[str, int]:
    """The rule counts of the answer package under ``src`` (a tree's ``src/`` folder)."""
    answer = src / "curbside" / "answer"
    compiled = 0
    for path in answer.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        compiled += sum(1 for node in ast.walk(tree) if isinstance(node, ast.Call)
                        and ast.unparse(node.func) in {"re.compile", "compile"})
    regexes = words = 0
    for path in answer.rglob("*.toml"):
        for text in _strings(tomllib.loads(path.read_text(encoding="utf-8"))):
            if _is_regex(text):
                regexes += 1
            elif len(text.split()) <= 3 and "{" not in text:
                words += 1
    return {"python_re_compile": compiled, "toml_regexes": regexes,
            "regexes": compiled + regexes, "listed_words": words}


def main() -> None:
    roots = [Path(a) for a in sys.argv[1:]] or [Path(__file__).resolve().parent.parent / "src"]
    for root in roots:
        print(json.dumps({"src": str(root), **count(root)}))


if __name__ == "__main__":
    main()
