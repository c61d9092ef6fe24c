"""docs/architecture.md names only modules, packages and tests that exist."""

from __future__ import annotations

import re
from pathlib import Path

import curbside

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(curbside.__file__).parent
PATH = re.compile(r"`((?:tests/|src/|scripts/|bench/)?[\w/]+(?:\.py|\.toml|/))`")
#: Paths relative to the repository root; every other path is inside the package.
_ROOTED = ("tests/", "src/", "scripts/", "bench/")


def named_paths(text: str) -> list[str]:
    """Every `path.py`, `path.toml` or `folder/` written in backticks."""
    return PATH.findall(text)


def test_every_module_named_in_the_architecture_page_exists() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = named_paths(text)
    assert len(named) > 60 and "answer/service.py" in named and "tests/test_imports.py" in named
    missing = [p for p in named
               if not (ROOT / p if p.startswith(_ROOTED) else PACKAGE / p).exists()]
    assert missing == []


def test_the_check_reads_paths_and_folders() -> None:
    assert named_paths("`answer/x.py`, `ingest/`, `tests/a/b.py`, `plans/a.toml`, `Answer`") == [
        "answer/x.py", "ingest/", "tests/a/b.py", "plans/a.toml"]
