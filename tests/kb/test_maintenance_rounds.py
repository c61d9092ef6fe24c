"""The background upkeep (kb/maintenance.py) counts the knowledge base only when something was
written: a settled round compares the newest passage and deletion and the index folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from curbside.ingest.registry import read_paths
from curbside.kb import maintenance
from curbside.kb.maintenance import FULL_EVERY, Maintainer
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_full_checks_run_when_something_was_written_and_now_and_then(
        tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = KnowledgeBase(Settings(data_dir=tmp_path / "data", starter_pack=False), embedder=embedder)
    kb.ingest(read_paths([FIXTURES / "answer" / "acronym"]))
    checks: list[int] = []
    real = maintenance.quick_check

    def counted(kb: KnowledgeBase) -> list[str]:
        checks.append(1)
        return real(kb)

    monkeypatch.setattr(maintenance, "quick_check", counted)
    upkeep = Maintainer(kb, interval_s=0)
    for _ in range(5):
        upkeep.run_once()
    assert len(checks) == 1  # healthy and caught up: the next rounds only compare the marks
    shutil.rmtree(kb.index_root / kb.lexical_name)  # an index folder lost
    upkeep.run_once()
    assert len(checks) == 2 and kb.index_present(kb.lexical_name)  # checked and healed
    upkeep.run_once()  # settled again
    upkeep.run_once()
    assert len(checks) == 3  # the round after the rebuild confirms, then it settles
    for _ in range(FULL_EVERY):
        upkeep.run_once()
    assert len(checks) == 4  # a full check now and then (a damaged file changes no mark)
