"""Is this process ready to serve? The checks behind ``/readyz``.

- **database**: a trivial query answers;
- **indexes**: every index has taken every passage and tombstone in the database (its watermarks
  are at the store's) and holds as many passages as the database — an index that lags, or was
  lost, is rebuilt by ``curbside kb migrate`` / the next sync, and the process is not ready
  until then;
- **model**: the embedding model is loaded in this process (``serve`` loads it at start).

Each check reports ``ok`` and a short ``detail``; one failing check makes the process not ready.
A check that raises counts as failing with the error's message: readiness never raises.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import text

from curbside.kb.service import KnowledgeBase
from curbside.metrics import INDEX_SIZE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


@dataclass(frozen=True)
class Readiness:
    checks: dict[str, Check] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks.values())

    def to_dict(self) -> dict[str, object]:
        return {"ready": self.ok,
                "checks": {n: {"ok": c.ok, "detail": c.detail} for n, c in self.checks.items()}}


def _database(kb: KnowledgeBase) -> Check:
    with kb.store.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return Check(True, kb.store.engine.dialect.name)


def _indexes(kb: KnowledgeBase) -> Check:
    top, tombs = kb.store.max_passage_pk(), kb.store.max_tombstone_seq()
    passages = int(str(kb.store.stats().get("passages", 0)))
    lagging: list[str] = []
    sizes = {kb.lexical_name: kb.lexical.count(), kb.dense_name: kb.dense.count()}
    for name, count in sizes.items():
        INDEX_SIZE.labels(name).set(count)
        state = kb.store.index_state(name)
        if state.passage_watermark < top or state.tombstone_watermark < tombs or count != passages:
            lagging.append(f"{name} ({count} of {passages} passages)")
    if lagging:
        return Check(False, "behind the database: " + ", ".join(lagging))
    return Check(True, f"{passages} passages in {len(sizes)} index(es)")


def _model(kb: KnowledgeBase) -> Check:
    if not kb.embedder_loaded:
        return Check(False, "the embedding model is not loaded yet")
    return Check(True, kb.embedder.name)


def check_readiness(kb: KnowledgeBase) -> Readiness:
    checks: dict[str, Check] = {}
    for name, probe in (("database", _database), ("indexes", _indexes), ("model", _model)):
        try:
            checks[name] = probe(kb)
        except Exception as exc:  # a probe's failure is the answer, not an error
            # Anyone may read /readyz: name the failing part, never its address (a driver's
            # message holds the database host, port and name); the log has the whole error.
            log.warning("readiness check %s failed: %s", name, exc)
            checks[name] = Check(False, f"the {name} check failed ({type(exc).__name__})")
    return Readiness(checks)
