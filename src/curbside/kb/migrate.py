"""Move the retrieval indexes to another backend (embedded ⇄ Milvus), rebuilt from the database.

The database is the source of truth: every passage, its text and its vector for the active
embedding model live there, and each index keeps a watermark of what it has taken. Migrating
is therefore the ordinary index sync run with the *target* backend in the settings: it embeds
any passage still without a vector, writes the target's rows batch by batch and records the
watermark after each batch, so an interrupted migration simply runs again from where it stopped.
The source backend is left untouched (moving back is the same command with the other target).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from curbside.errors import IndexMismatchError
from curbside.kb.service import KnowledgeBase
from curbside.progress import SILENT, Progress
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings

Backend = Literal["embedded", "milvus"]


@dataclass(frozen=True)
class MigrationReport:
    target: Backend
    passages: int
    lexical_count: int
    dense_count: int
    embedded_now: int

    def to_dict(self) -> dict[str, object]:
        return {"target": self.target, "passages": self.passages,
                "lexical_count": self.lexical_count, "dense_count": self.dense_count,
                "embedded_now": self.embedded_now}


def settings_for(settings: Settings, target: Backend) -> Settings:
    """The same settings with ``retrieval.backend`` set to ``target``."""
    retrieval = settings.retrieval.model_copy(update={"backend": target})
    return settings.model_copy(update={"retrieval": retrieval})


def migrate_indexes(settings: Settings, target: Backend, *, progress: Progress = SILENT,
                    embedder: Embedder | None = None) -> MigrationReport:
    """Fill the ``target`` backend's indexes from the database; resumable, idempotent.

    Raises :class:`IndexMismatchError` when the target ends with other counts than the
    database holds passages (it never should; the message names the fix).
    """
    kb = KnowledgeBase(settings_for(settings, target), embedder=embedder)
    try:
        embedded_now = kb.embed_pending(progress=progress)
        kb.sync_indexes(progress=progress)
        passages = int(str(kb.store.stats().get("passages", 0)))
        lexical, dense = kb.lexical.count(), kb.dense.count()
    finally:
        close = getattr(kb._dense, "close", None)
        if close is not None:
            close()
    if lexical != passages or dense != passages:
        raise IndexMismatchError(
            f"After migrating to {target}, the indexes hold {lexical} (BM25) and {dense} (dense) "
            f"passages but the database holds {passages}. Fix: run the migration again; if the "
            "counts still differ, drop the target index (its directory or Milvus collection) "
            "and migrate once more.",
            details={"target": target, "passages": passages, "lexical_count": lexical,
                     "dense_count": dense})
    return MigrationReport(target, passages, lexical, dense, embedded_now)
