"""Fixtures of the answer tests: a knowledge base of the answer fixtures' real sources."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.answer.cases import source_paths

from curbside.db import dispose_engines
from curbside.ingest.registry import read_paths
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings


@pytest.fixture(scope="module")
def kb_settings(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Settings]:
    """Settings of a data directory holding the MedQuAD and PubMedQA excerpts of ``cases.source_paths`` (no pack)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("answer-kb"), starter_pack=False)
    report = KnowledgeBase(settings, embedder=embedder).ingest(read_paths(source_paths()))
    assert report.documents_written == 15
    yield settings
    dispose_engines()
