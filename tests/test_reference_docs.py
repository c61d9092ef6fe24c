"""Docs that are tested: every setting and every CLI command is documented, and the generated
references match the code."""

from __future__ import annotations

from pathlib import Path

from curbside.reference_docs import cli_markdown, configuration_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_configuration_reference_is_current() -> None:
    on_disk = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert on_disk == configuration_markdown(), "run: python -m curbside.reference_docs"


def test_cli_reference_is_current() -> None:
    on_disk = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert on_disk == cli_markdown(), "run: python -m curbside.reference_docs"


def test_every_setting_has_a_description() -> None:
    rows = [line for line in configuration_markdown().splitlines() if line.startswith("| `CURBSIDE_")]
    assert rows
    undocumented = [row for row in rows if row.rstrip().endswith("|  |") or row.rstrip().endswith("| |")]
    assert undocumented == []
