"""`kb add` on files that lie about themselves (issue 24, items 5 and 6).

A Markdown file may not claim to be a consult (only the consult workflow makes one); a binary file
renamed ``.md`` is refused, not indexed as garbage passages; a zip of zips may expand only to
``dailymed.max_expanded_mb``. Each problem is reported and the other files are still added.
(Synthetic, non-medical text.)
"""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curbside.cli.main import app
from curbside.domain import SourceKind
from curbside.kb.service import KnowledgeBase
from curbside.settings import load_settings

runner = CliRunner()
HONEST = """---
title: Office opening hours
kind: guideline
---
# Office opening hours

The office opens at nine and closes at five on weekdays. It is closed on public holidays.
"""


def _add(*paths: Path) -> dict[str, object]:
    result = runner.invoke(app, ["kb", "add", *map(str, paths), "--json"])
    assert result.exit_code == 0, result.output
    report: dict[str, object] = json.loads(result.stdout)
    return report


def _problems(report: dict[str, object]) -> dict[str, str]:
    problems = report["problems"]
    assert isinstance(problems, list)
    return {Path(p["origin"].split("!")[0]).name: p["message"] for p in problems}


def test_kb_add_refuses_kind_consult(tmp_path: Path) -> None:
    fake = tmp_path / "fake-consult.md"
    fake.write_text(HONEST.replace("kind: guideline", "kind: consult"), encoding="utf-8")
    honest = tmp_path / "honest.md"
    honest.write_text(HONEST, encoding="utf-8")
    report = _add(fake, honest)
    assert report["documents_written"] == 1
    problems = _problems(report)
    assert set(problems) == {"fake-consult.md"} and "consult" in problems["fake-consult.md"]
    assert "never by a file" in problems["fake-consult.md"]
    kinds = {s.kind for s in KnowledgeBase(load_settings()).store.iter_sources()}
    assert kinds == {SourceKind.GUIDELINE}


def test_kb_add_refuses_binary_content_renamed_md(tmp_path: Path) -> None:
    rng = random.Random(24)
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(200_000)))
    no_nul = tmp_path / "noise.md"  # binary without a NUL byte: still not text
    no_nul.write_bytes(bytes(rng.randrange(1, 256) for _ in range(50_000)))
    honest = tmp_path / "honest.md"
    honest.write_text(HONEST, encoding="utf-8")
    report = _add(binary, no_nul, honest)
    assert report["documents_written"] == 1
    problems = _problems(report)
    assert set(problems) == {"photo.md", "noise.md"}
    assert all("not a text file" in message for message in problems.values())


def test_kb_add_caps_what_nested_zips_expand_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURBSIDE_DAILYMED__MAX_EXPANDED_MB", "2")
    member = b"<document xmlns='urn:hl7-org:v3'>" + b" " * (512 * 1024) + b"</document>"
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for i in range(4):
            z.writestr(f"label{i}.xml", member)
    bomb = tmp_path / "release.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for i in range(8):
            z.write(inner, f"part{i}.zip")
    assert bomb.stat().st_size < 100_000  # expands to about 16 MB
    honest = tmp_path / "honest.md"
    honest.write_text(HONEST, encoding="utf-8")
    report = _add(bomb, honest)
    messages = [p["message"] for p in report["problems"]]  # type: ignore[union-attr]
    capped = [m for m in messages if "cap on expanded bytes" in m]
    assert len(capped) == 1 and "MAX_EXPANDED_MB" in capped[0]
    assert report["documents_written"] == 1
