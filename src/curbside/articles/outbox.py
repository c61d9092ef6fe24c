"""The outbox of knowledge-base syncs: approvals are never lost between the database and the KB.

An approval or retraction writes a row here in its own transaction; the knowledge base is brought
in line afterwards by :func:`apply_pending` (right after the transition, and again at start-up),
which marks a row applied only once the sync succeeded. Syncing is idempotent, so a crash at any
point — before the sync, during it, before the row is marked — only means it runs again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from curbside.articles.tables import kb_outbox


def enqueue_sync(conn: Connection, article_id: int, now: datetime) -> None:
    """Record, inside the caller's transaction, that ``article_id``'s sources must be synced."""
    conn.execute(insert(kb_outbox).values(article_id=article_id, created_at=now, applied_at=None))


def pending(engine: Engine) -> dict[int, list[int]]:
    """Article id → ids of its outbox rows not applied yet (oldest article first)."""
    query = (select(kb_outbox.c.id, kb_outbox.c.article_id)
             .where(kb_outbox.c.applied_at.is_(None)).order_by(kb_outbox.c.id))
    out: dict[int, list[int]] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            out.setdefault(int(row.article_id), []).append(int(row.id))
    return out


def apply_pending(engine: Engine, sync: Callable[[int], None]) -> int:
    """Run ``sync(article_id)`` for every pending article, marking its rows applied after each.

    Returns how many articles were synced. An exception from ``sync`` propagates; the rows of
    that article (and later ones) stay pending for the next run.
    """
    done = 0
    for article_id, ids in pending(engine).items():
        sync(article_id)
        with engine.begin() as conn:
            conn.execute(update(kb_outbox).where(kb_outbox.c.id.in_(ids))
                         .values(applied_at=datetime.now(UTC)))
        done += 1
    return done
