"""The index write lock keeps out the other threads of the same process, not only other processes: two threads
of a web worker that publish at once (a consult reply and a job's article) must not open two index writers (tantivy
refuses the second: "Failed to acquire index lock")."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import HashEmbedder
from curbside.settings import Settings


def test_two_threads_of_one_knowledge_base_write_one_after_the_other(tmp_path: Path) -> None:
    kb = KnowledgeBase(Settings(data_dir=tmp_path / "data", starter_pack=False), embedder=HashEmbedder())
    spans: list[tuple[float, float]] = []
    start = threading.Barrier(2)

    def write() -> None:
        start.wait()
        with kb.write_lock():
            entered = time.monotonic()
            with kb.write_lock():  # re-entrant in its own thread (rebuild → sync)
                time.sleep(0.3)
            spans.append((entered, time.monotonic()))

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(spans) == 2
    first, second = sorted(spans)
    assert second[0] >= first[1]  # the second entered only after the first had left


def test_the_real_indexes_are_written_by_two_threads_at_once_without_a_lock_error(tmp_path: Path) -> None:
    kb = KnowledgeBase(Settings(data_dir=tmp_path / "data", starter_pack=False), embedder=HashEmbedder())
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def sync() -> None:
        start.wait()
        try:
            kb.sync_indexes()
        except BaseException as exc:  # recorded for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=sync) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
