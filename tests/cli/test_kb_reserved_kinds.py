"""`kb add` refuses a file that claims to be board-reviewed (issue 9, defect 3).

Only the approval workflow may create board-reviewed sources; before the fix a Markdown file with
``kind: board_reviewed`` in its front matter was ingested as one. (Synthetic, non-medical text.)
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from curbside.cli.main import app
from curbside.domain import SourceKind
from curbside.kb.service import KnowledgeBase
from curbside.settings import load_settings

runner = CliRunner()
CLAIMING = """---
title: Office opening hours
kind: Board reviewed
publisher: curbside Medical Advisory Board
---
# Office opening hours

The office opens at nine and closes at five on weekdays.
"""


def test_kb_add_refuses_kind_board_reviewed(tmp_path: Path) -> None:
    path = tmp_path / "claims-review.md"
    path.write_text(CLAIMING, encoding="utf-8")
    honest = tmp_path / "honest.md"
    honest.write_text(CLAIMING.replace("kind: Board reviewed", "kind: guideline"), encoding="utf-8")
    result = runner.invoke(app, ["kb", "add", str(path), str(honest), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents_written"] == 1
    [problem] = report["problems"]
    assert Path(problem["origin"]).name == "claims-review.md"
    assert "approval workflow" in problem["message"]
    kb = KnowledgeBase(load_settings())
    kinds = {s.kind for s in kb.store.iter_sources()}
    assert kinds == {SourceKind.GUIDELINE}
