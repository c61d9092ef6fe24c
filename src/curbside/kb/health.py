"""Index health: the indexes are derived from the database, which is the truth.

:func:`inspect_indexes` opens each index, compares its count with what the database says it
should hold and runs a probe search (a truncated ``vectors.usearch``, a garbled tantivy
``meta.json`` or a deleted segment fails here). :func:`rebuild_indexes` throws the index files
away and rebuilds them from the database's passages and stored vectors (nothing is re-embedded).
:func:`ensure_healthy` does both at start-up — finishing interrupted syncs first, under the
index write lock — so the server never serves a damaged or empty index; when even a rebuild
fails it raises :class:`~curbside.errors.IndexUnavailableError` (503) naming ``curbside kb
rebuild``.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass

import numpy as np

from curbside.errors import IndexUnavailableError
from curbside.kb.service import KnowledgeBase
from curbside.kb.store import IndexState
from curbside.progress import SILENT, Progress

log = logging.getLogger(__name__)

REPAIR = "`curbside kb rebuild` (or restart the server, which repairs the indexes from the database)"


@dataclass(frozen=True)
class IndexReport:
    """One index: how many passages it should hold, how many it holds, what failed."""

    name: str
    expected: int
    found: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.found == self.expected

    def describe(self) -> str:
        if self.error:
            return f"{self.name}: damaged ({self.error})"
        return f"{self.name}: {self.found} passages, the database has {self.expected}"


def inspect_indexes(kb: KnowledgeBase) -> list[IndexReport]:
    """Open both indexes afresh and check them against the database."""
    kb.close_indexes()
    passages = int(kb.store.stats()["passages"])  # type: ignore[call-overload]
    embedded = passages - kb.store.count_without_embedding(kb.embedder.name)
    reports = []
    for name, expected in ((kb.lexical_name, passages), (kb.dense_name, embedded)):
        try:
            if name == kb.lexical_name:
                found = kb.lexical.count()
                kb.lexical.search("probe", 1)
            else:
                found = kb.dense.count()
                if found:
                    kb.dense.search(np.ones(kb.embedder.dim, dtype=np.float32), 1)
            reports.append(IndexReport(name, expected, found))
        except Exception as exc:  # any failure to read an index file means it is damaged
            reports.append(IndexReport(name, expected, None, f"{type(exc).__name__}: {exc}"[:300]))
    kb.close_indexes()
    return reports


def rebuild_indexes(kb: KnowledgeBase, *, progress: Progress = SILENT) -> None:
    """Throw the index files away and rebuild both indexes from the database."""
    with kb.write_lock():
        kb.close_indexes()
        for name in (kb.lexical_name, kb.dense_name):
            path = kb.index_root / name
            if path.exists():
                shutil.rmtree(path)
            kb.store.save_index_state(IndexState(name, 0, 0, {}))
        kb.refresh(progress=progress)


def ensure_healthy(kb: KnowledgeBase) -> list[IndexReport]:
    """Finish pending syncs, check, rebuild what is damaged or out of step; the final reports.

    Raises IndexUnavailableError (and remembers it, so searches answer 503) when the indexes
    cannot be made to agree with the database.
    """
    try:
        kb.refresh()
    except Exception as exc:  # a damaged index can fail the sync itself
        log.warning("index sync failed (%s); checking the indexes", exc)
    reports = inspect_indexes(kb)
    if all(r.ok for r in reports):
        kb.unavailable = None
        return reports
    log.warning("rebuilding the search indexes from the database: %s",
                "; ".join(r.describe() for r in reports if not r.ok))
    try:
        rebuild_indexes(kb)
        reports = inspect_indexes(kb)
    except Exception as exc:
        reports = [IndexReport("indexes", 0, None, f"rebuild failed: {exc}")]
    bad = [r for r in reports if not r.ok]
    if bad:
        kb.unavailable = IndexUnavailableError(
            "The search indexes disagree with the database and could not be rebuilt ("
            + "; ".join(r.describe() for r in bad) + f"). Run {REPAIR}.",
            details={"indexes": [r.describe() for r in bad]})
        raise kb.unavailable
    kb.unavailable = None
    log.info("search indexes rebuilt from the database")
    return reports
