"""A damaged database file is one clear error, not a traceback (issue 9, defect 14).

Before the fix ``curbside serve`` (and every other command) printed a 171-line traceback ending
in ``sqlite3.DatabaseError: file is not a database``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curbside.cli.main import app
from curbside.db import get_engine
from curbside.errors import DatabaseUnusableError

runner = CliRunner()


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    path = Path(os.environ["CURBSIDE_DATA_DIR"]) / "curbside.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database, just some synthetic bytes\n" * 200)
    return path


@pytest.mark.parametrize("command", [["serve", "--port", "8999"], ["kb", "stats"], ["users", "list"]])
def test_a_damaged_database_file_is_one_clear_error(damaged: Path, command: list[str]) -> None:
    result = runner.invoke(app, command)
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "Traceback" not in result.output and len(result.output.splitlines()) == 1
    assert f"error (database_unusable): The database file {damaged} cannot be used" in text
    assert "Restore it from a backup, or move it aside" in text


def test_the_error_names_the_file_and_the_reason(damaged: Path) -> None:
    with pytest.raises(DatabaseUnusableError) as info:
        get_engine(f"sqlite:///{damaged}")
    assert info.value.details == {"path": str(damaged), "reason": "file is not a database"}
