"""Index health: the indexes are derived from the database, which is the truth.

:func:`inspect_indexes` opens each index, compares its count with what the database says it
should hold and runs a probe search (a truncated ``vectors.usearch``, a garbled tantivy
``meta.json`` or a deleted segment fails here). :func:`rebuild_indexes` throws the index files
away and rebuilds them from the database's passages and stored vectors (nothing is re-embedded).
:func:`ensure_healthy` does both at start-up — finishing interrupted syncs first, under the
index write lock — so the server never serves a damaged or empty index; when even a rebuild
fails it raises :class:`~curbside.errors.IndexUnavailableError` (503) naming ``curbside kb
rebuild``.

:func:`quick_check` is the cheap comparison every entry point makes (no probe search): an index
folder that vanished, or an index that has taken every passage yet holds another count than the
database. ``kb search``, ``kb stats`` and ``ask`` check it before they use the indexes, the server's
background maintenance (kb/maintenance.py) checks it every few seconds and rebuilds, and an article
is never saved from an answer made while it fails (articles/service.py). :func:`behind` says whether
passages another process wrote wait to be embedded or indexed (caught up in the background).
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


def quick_check(kb: KnowledgeBase) -> list[str]:
    """What is wrong with the indexes, found cheaply; empty when they agree with the database.

    An index still catching up (its watermark below the newest passage) is not a problem here
    unless it is empty while its watermark says it took passages."""
    passages = kb.store.passage_count()
    top, tombs = kb.store.max_passage_pk(), kb.store.max_tombstone_seq()
    problems: list[str] = []
    for name in dict.fromkeys((kb.lexical_name, kb.dense_name)):
        state = kb.store.index_state(name)
        if not kb.index_present(name):
            if state.passage_watermark > 0 or passages > 0:
                problems.append(f"{name}: its folder {kb.index_root / name} is missing")
            continue
        try:
            index = kb.lexical if name == kb.lexical_name else kb.dense
            count = index.count()
        except Exception as exc:  # an index file that cannot be read
            problems.append(f"{name}: damaged ({type(exc).__name__}: {exc})"[:300])
            continue
        if name == kb.dense_name and name != kb.lexical_name:
            expected = passages - kb.store.count_without_embedding(kb.embedder.name)
        else:
            expected = passages
        caught_up = state.passage_watermark >= top and state.tombstone_watermark >= tombs
        if caught_up and count != expected:
            problems.append(f"{name}: {count} passages, the database has {expected}")
        elif not caught_up and count == 0 and state.passage_watermark > 0:
            problems.append(f"{name}: empty, but it has taken passages up to {state.passage_watermark}")
    return problems


def require_healthy(kb: KnowledgeBase) -> None:
    """Raise IndexUnavailableError naming the repair when :func:`quick_check` finds a problem."""
    problems = quick_check(kb)
    if problems:
        raise IndexUnavailableError(
            "The search indexes disagree with the database (" + "; ".join(problems)
            + f"). Repair them with {REPAIR}.", details={"indexes": problems})


def behind(kb: KnowledgeBase) -> bool:
    """True when passages or deletions in the database wait to be embedded or indexed."""
    top, tombs = kb.store.max_passage_pk(), kb.store.max_tombstone_seq()
    for name in dict.fromkeys((kb.lexical_name, kb.dense_name)):
        state = kb.store.index_state(name)
        if state.passage_watermark < top or state.tombstone_watermark < tombs:
            return True
    return kb.store.count_without_embedding(kb.embedder.name) > 0


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
