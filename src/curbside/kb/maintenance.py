"""The server's background upkeep of the knowledge base: one thread per worker process.

Every ``interval_s`` seconds :class:`Maintainer` compares the indexes with the database
(:func:`curbside.kb.health.quick_check`) and rebuilds them when they disagree (a deleted index
folder heals within seconds; searches answer 503 naming the repair meanwhile), catches up the
passages another process wrote (``curbside kb add`` while serving: embedded and indexed here, not
inside a user's request, which serves from what is indexed meanwhile), then runs the queued tasks
it was given (approved articles and published consults into the knowledge base, More Info). Index
writes take the index write lock, so two workers never write at once; the other one follows.

Once a round has found the indexes healthy and caught up, the next rounds compare only what a
write changes (the newest passage and deletion in the database, the index folders on disk: two
indexed lookups and two file checks) and run the full check, which counts every passage and every
missing embedding, when that moved, and every ``FULL_EVERY`` rounds (a damaged index file is found
within a minute). Counting 34,000 passages every two seconds in each worker was load on the
database that the readers of the site paid for.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from curbside.kb.health import behind, ensure_healthy, quick_check
from curbside.kb.service import KnowledgeBase

log = logging.getLogger("curbside.maintenance")

Task = Callable[[], object]

#: Rounds between two full checks while nothing is written.
FULL_EVERY = 30


class Maintainer:
    """A daemon thread keeping ``kb`` in step with the database; stops with :meth:`stop`."""

    def __init__(self, kb: KnowledgeBase, tasks: Sequence[Task] = (), *, interval_s: float = 2.0) -> None:
        self.kb = kb
        self.tasks = list(tasks)
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._settled: tuple[object, ...] | None = None  # the marks of the last healthy, caught-up round
        self._rounds = 0

    def start(self) -> None:
        if self.interval_s <= 0:
            return
        self._thread = threading.Thread(target=self._loop, name="curbside-maintenance", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.run_once()

    def _marks(self) -> tuple[object, ...]:
        """What any write moves: the newest passage and deletion, the index folders, the health."""
        kb = self.kb
        return (kb.store.max_passage_pk(), kb.store.max_tombstone_seq(), kb.unavailable is None,
                *(kb.index_present(name) for name in dict.fromkeys((kb.lexical_name, kb.dense_name))))

    def run_once(self) -> None:
        """One round: heal, catch up, run the tasks. Failures are logged; the next round retries."""
        try:
            self._rounds += 1
            marks = self._marks()
            if marks != self._settled or self._rounds % FULL_EVERY == 0:
                self._settled = None
                problems = quick_check(self.kb)
                if problems or self.kb.unavailable is not None:
                    log.warning("search indexes disagree with the database (%s): rebuilding",
                                "; ".join(problems) or "unavailable")
                    ensure_healthy(self.kb)
                elif behind(self.kb):
                    self.kb.refresh()
                else:
                    self._settled = marks
        except Exception:
            log.exception("knowledge-base maintenance failed; retrying in %.0f s", self.interval_s)
        for task in self.tasks:
            try:
                task()
            except Exception:
                log.exception("background task %s failed; retrying in %.0f s",
                              getattr(task, "__name__", task), self.interval_s)
