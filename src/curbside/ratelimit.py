"""The rate limits on what clients may do (ask, sign in): one abstraction, counted in the database.

Routes call a :class:`Limiter` (``hit(key)``: count one event for a client, or raise
:class:`~curbside.errors.RateLimitedError`, 429 with ``Retry-After``). Its one implementation is
:class:`DatabaseRateLimiter`; the web app composes one per limit, once, in
``web/composition.py: services_for``. There is no in-memory variant: every deployment has a database
(SQLite by default), and a count kept per process would let each worker allow the full limit.
(Spacing our own requests to NCBI and DailyMed is another matter: ``ingest/polite.py``.)

A *sliding window counter*: each client key has a counter per fixed one-minute window
(``rate_limits``: key, window start, count). A hit increments the current window atomically
(``INSERT … ON CONFLICT DO UPDATE … RETURNING``, on PostgreSQL and SQLite alike) and the
estimate of the last 60 seconds is ``previous × (1 − elapsed/60) + current``: no burst is let
through at a window boundary, which a plain fixed window allows. A refused hit is taken back, so
a client that keeps knocking is not locked out for longer; ``Retry-After`` is the time until the
estimate falls below the limit. Old windows are deleted now and then (about 1 hit in 100).

The counters may be lost (they are not state worth a backup); the database is the place that
all workers share, which is why they live there.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import BigInteger, Column, Integer, PrimaryKeyConstraint, String, Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from curbside.db import metadata
from curbside.errors import RateLimitedError
from curbside.metrics import RATE_LIMITED

WINDOW_S = 60

rate_limits = Table(
    "rate_limits",
    metadata,
    Column("key", String(200), nullable=False),
    Column("window", BigInteger, nullable=False),  # window start, seconds since the epoch
    Column("count", Integer, nullable=False),
    PrimaryKeyConstraint("key", "window"),
)


class Limiter(Protocol):
    """What routes call: count one event for a client key, or raise RateLimitedError."""

    def hit(self, key: str) -> None: ...


def retry_after(limit: int, previous: int, current: int, elapsed: float) -> int:
    """Seconds until one more hit fits: ``previous × (1 − t/60) + current + 1 ≤ limit``.

    ``current`` excludes the refused hit; ``elapsed`` is the time since the current window began.
    """
    if current + 1 <= limit:
        needed = 1.0 - (limit - current - 1) / previous if previous else 0.0
        wait = needed * WINDOW_S - elapsed
    else:  # the current window alone is full: wait for the next, then for it to fade enough
        wait = (WINDOW_S - elapsed) + WINDOW_S * max(0.0, 1.0 - (limit - 1) / current)
    return max(1, math.ceil(wait - 1e-6))  # float noise must not add a second


class DatabaseRateLimiter:
    """``hit(key)`` counts one event for ``key`` or raises :class:`RateLimitedError` (429).

    ``scope`` keeps limits apart in the one table (``ask``, ``login``) and labels the refusals in
    ``curbside_rate_limited_total``; ``what`` names the events in the message.
    """

    def __init__(self, engine: Engine, per_minute: int, *, what: str = "questions",
                 scope: str = "ask", clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.per_minute = per_minute
        self.what = what
        self.scope = scope
        self._clock = clock
        dialect = engine.dialect.name
        self._insert = postgresql.insert if dialect == "postgresql" else sqlite.insert

    def hit(self, key: str) -> None:
        now = self._clock()
        window = int(now // WINDOW_S) * WINDOW_S
        elapsed = now - window
        full_key = f"{self.scope}:{key}"[:200]
        table = rate_limits
        insert = self._insert(table).values(key=full_key, window=window, count=1)
        stmt = insert.on_conflict_do_update(index_elements=[table.c.key, table.c.window],
                                            set_={"count": table.c.count + 1}).returning(table.c.count)
        with self.engine.begin() as conn:
            current = int(conn.execute(stmt).scalar_one())
            previous = conn.execute(select(table.c.count).where(
                table.c.key == full_key, table.c.window == window - WINDOW_S)).scalar_one_or_none() or 0
            estimate = previous * (1.0 - elapsed / WINDOW_S) + current
            if estimate <= self.per_minute:
                if random.random() < 0.01:
                    conn.execute(delete(table).where(table.c.window < window - WINDOW_S))
                return
            conn.execute(update(table).where(table.c.key == full_key, table.c.window == window)
                         .values(count=table.c.count - 1))
        wait = retry_after(self.per_minute, previous, current - 1, elapsed)
        RATE_LIMITED.labels(self.scope).inc()
        raise RateLimitedError(
            f"Too many {self.what}: the limit is {self.per_minute} per minute. Try again in {wait} s.",
            details={"limit_per_minute": self.per_minute, "retry_after_s": wait})
