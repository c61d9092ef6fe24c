"""Closed sets of CLI values are enums (listed in --help, checked by Typer); --version."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from curbside import __version__
from curbside.answer.audience import ALIASES, AudienceName
from curbside.answer.composers import COMPOSERS, ComposerName
from curbside.articles.service import EXPORT_FORMATS, ExportFormat
from curbside.cli.main import app

runner = CliRunner()


def test_version_flag_and_command() -> None:
    assert runner.invoke(app, ["--version"]).stdout.strip() == __version__
    assert runner.invoke(app, ["version"]).stdout.strip() == __version__


def test_enums_match_what_they_name() -> None:
    assert {c.value for c in ComposerName} == set(COMPOSERS)
    assert {a.value for a in AudienceName} == set(ALIASES)
    assert EXPORT_FORMATS == ("markdown", "json") == tuple(ExportFormat)


def test_choices_are_listed_and_checked() -> None:
    ask_help = runner.invoke(app, ["ask", "--help"], terminal_width=200).stdout
    assert "<extractive|llm>" in ask_help and "<markdown|terminal|html>" in ask_help
    command = typer.main.get_command(app).commands["ask"]  # type: ignore[attr-defined]
    metavars = {p.name: p.metavar for p in command.params}
    assert metavars["audience"] == "<clinician|patient|caregiver>" and metavars["fmt"] == "<markdown|terminal|html>"
    export_help = runner.invoke(app, ["articles", "export", "--help"], terminal_width=200).stdout
    assert "<markdown|json>" in export_help
    wrong = runner.invoke(app, ["ask", "What is gout?", "--composer", "oracle"])
    assert wrong.exit_code == 2 and "oracle" in wrong.output
