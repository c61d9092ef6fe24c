"""Article URLs are built in one place (web/urls.py)."""

from __future__ import annotations

import re
from pathlib import Path

import curbside
from curbside.domain import Audience
from curbside.web.urls import article_path

WEB = Path(curbside.__file__).parent / "web"


def test_article_paths() -> None:
    assert article_path("gout") == "/a/gout"
    assert article_path("gout", Audience.PATIENT) == "/a/gout?audience=patient"
    assert article_path("gout", "clinician", printable=True) == "/a/gout/print?audience=clinician"
    assert article_path("a b") == "/a/a%20b"


def test_no_article_url_is_written_by_hand_elsewhere() -> None:
    hand_made = re.compile(r"""["'`]/a/\{""")
    offenders = [f"{path.relative_to(WEB)}: {line.strip()}" for path in WEB.rglob("*")
                 if path.suffix in (".py", ".html", ".js") and path.name != "urls.py"
                 for line in path.read_text(encoding="utf-8").splitlines()
                 if hand_made.search(line) and not line.lstrip().startswith("@router.")]  # routes declare it
    assert offenders == []
