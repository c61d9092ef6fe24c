"""Generation jobs: a queue in the database that every worker process shares.

A question becomes a row of ``generation_jobs``; any worker's :class:`JobRunner` claims it —
on PostgreSQL with ``SELECT … FOR UPDATE SKIP LOCKED`` under a short advisory lock, so at most
``jobs.max_running`` jobs run on the whole site at once — runs it, and appends its progress to
``generation_job_events``. The asker's request, on whatever worker it landed, reads those events
(:meth:`JobQueue.events`) and streams them: progress comes from whichever worker holds the job.

- **One article per question**: an active job (queued or running) has a unique ``dedupe_key``
  (the normalised question and the audience; follow-ups in a thread are never merged), so an
  identical question asked meanwhile on any worker joins the job already there.
- **Fair between askers**: among queued jobs, the claim takes first the asker (client key) with
  the fewest running jobs, then the oldest.
- **Bounded**: past ``jobs.max_queued`` waiting jobs, asking is refused with 429 and
  ``Retry-After``.
- **Tidy**: runners delete jobs finished more than a day ago, with their events, once an hour.
- **Crash-safe**: a running job's worker refreshes ``heartbeat_at``; a job whose heartbeat is
  older than ``jobs.stale_after_s`` (its worker was killed) is claimed again, up to
  ``MAX_ATTEMPTS`` times, then marked failed.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    String,
    Text,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from curbside.articles.dedupe import question_key
from curbside.db import id_table, timestamp
from curbside.errors import CurbsideError, NotFoundError, RateLimitedError, UpstreamError
from curbside.metrics import QUEUE_DEPTH
from curbside.settings import JobsSettings
from curbside.times import as_utc

log = logging.getLogger("curbside.jobs")

ACTIVE = ("queued", "running")
MAX_ATTEMPTS = 3
#: How often a runner deletes jobs finished more than a day ago (with their events).
PRUNE_EVERY_S = 3600.0
#: PostgreSQL advisory lock key serialising claims ("jobs").
CLAIM_LOCK = 0x6A6F6273

generation_jobs = id_table(
    "generation_jobs",
    Column("dedupe_key", String(100), nullable=False),
    Column("question", Text, nullable=False),
    Column("audience", String(20), nullable=False),
    Column("thread_id", String(64)),
    Column("user_id", BigInteger),
    Column("client_key", String(200), nullable=False),
    Column("state", String(12), nullable=False),
    Column("worker", String(100)),
    Column("attempts", Integer, nullable=False),
    timestamp("created_at"),
    timestamp("started_at", nullable=True),
    timestamp("heartbeat_at", nullable=True),
    timestamp("finished_at", nullable=True),
    Column("slug", String(200)),
    Column("error", Text),
    Index("ix_generation_jobs_active_key", "dedupe_key", unique=True,
          postgresql_where=text("state IN ('queued', 'running')"),
          sqlite_where=text("state IN ('queued', 'running')")),
    Index("ix_generation_jobs_state", "state", "id"),
)

generation_job_events = id_table(
    "generation_job_events",
    Column("job_id", BigInteger, nullable=False, index=True),
    Column("payload", Text, nullable=False),
)


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Job:
    id: int
    question: str
    audience: str
    thread_id: str | None
    user_id: int | None
    client_key: str
    state: str
    attempts: int
    slug: str | None
    error: dict[str, Any] | None


def _job(row: Any) -> Job:
    return Job(id=int(row.id), question=row.question, audience=row.audience,
               thread_id=row.thread_id, user_id=row.user_id, client_key=row.client_key,
               state=row.state, attempts=int(row.attempts), slug=row.slug,
               error=json.loads(row.error) if row.error else None)


def error_from(data: dict[str, Any]) -> CurbsideError:
    """The error a failed job stored (the one error shape), raised again in the asker's worker."""
    body = data.get("error", {})
    return CurbsideError(str(body.get("message", "Generation failed.")),
                         code=str(body.get("code", "internal_error")),
                         status=int(body.get("status", 500)),
                         retryable=bool(body.get("retryable", True)),
                         details=dict(body.get("details") or {}))


class JobQueue:
    """The generation queue over one database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine, settings: JobsSettings) -> None:
        self.engine = engine
        self.settings = settings
        self.postgres = engine.dialect.name == "postgresql"

    # --- asking ---------------------------------------------------------------------------

    def submit(self, question: str, audience: str, *, thread_id: str | None,
               user_id: int | None, client_key: str) -> int:
        """The id of the active job for this question (joined), or of a new one.

        Raises :class:`RateLimitedError` when ``jobs.max_queued`` jobs are already waiting.
        """
        key = f"{question_key(question)}:{audience}" if thread_id is None else \
            f"thread:{thread_id}:{time.time_ns()}"
        for _ in range(3):
            existing = self._active(key)
            if existing is not None:
                return existing
            if self.depth()["queued"] >= self.settings.max_queued:
                wait = max(1, int(self.settings.stale_after_s))
                raise RateLimitedError(
                    f"Too many questions are waiting to be answered ({self.settings.max_queued}). "
                    f"Try again in {wait} s.",
                    details={"queued": self.settings.max_queued, "retry_after_s": wait})
            try:
                with self.engine.begin() as conn:
                    result = conn.execute(insert(generation_jobs).values(
                        dedupe_key=key, question=question, audience=audience, thread_id=thread_id,
                        user_id=user_id, client_key=client_key[:200], state="queued", attempts=0,
                        created_at=_now()))
                    return int(result.inserted_primary_key[0])  # type: ignore[index]
            except IntegrityError:  # the same question was queued at this moment: join it
                continue
        raise UpstreamError("Could not queue the question; try again.")

    def _active(self, key: str) -> int | None:
        with self.engine.connect() as conn:
            found = conn.execute(select(generation_jobs.c.id).where(
                generation_jobs.c.dedupe_key == key,
                generation_jobs.c.state.in_(ACTIVE))).scalar_one_or_none()
        return int(found) if found is not None else None

    def get(self, job_id: int) -> Job:
        with self.engine.connect() as conn:
            row = conn.execute(select(generation_jobs).where(
                generation_jobs.c.id == job_id)).first()
        if row is None:
            raise NotFoundError(f"No generation job {job_id}.")
        return _job(row)

    def events(self, job_id: int, *, timeout_s: float | None = None) -> Iterator[dict[str, Any]]:
        """The job's events as they are written, by whichever worker runs it; ends when the job
        is done (``{"event": "job_done", "slug"}``) or failed (raises its error)."""
        deadline = time.monotonic() + (timeout_s or self.settings.wait_timeout_s)
        last = 0
        while True:
            with self.engine.connect() as conn:
                # the state before the events: a worker writes every event before it marks the job done, so a
                # job read as done has no event the read after it misses (read the other way round, an event
                # written between the two reads was lost with the job's end)
                state = conn.execute(select(generation_jobs.c.state, generation_jobs.c.slug,
                                            generation_jobs.c.error).where(
                    generation_jobs.c.id == job_id)).first()
                rows = conn.execute(select(generation_job_events.c.id,
                                           generation_job_events.c.payload).where(
                    generation_job_events.c.job_id == job_id,
                    generation_job_events.c.id > last).order_by(
                    generation_job_events.c.id)).all()
            for row_id, payload in rows:
                last = int(row_id)
                yield json.loads(payload)
            if state is None:
                raise NotFoundError(f"No generation job {job_id}.")
            if state.state == "done" and not rows:
                yield {"event": "job_done", "slug": state.slug}
                return
            if state.state == "failed" and not rows:
                raise error_from(json.loads(state.error or "{}"))
            if not rows:
                if time.monotonic() > deadline:
                    raise UpstreamError("The answer is taking too long; it is still being "
                                        "written — reload the page in a minute.",
                                        details={"job_id": job_id})
                time.sleep(self.settings.poll_interval_s)

    def depth(self) -> dict[str, int]:
        """Jobs waiting and running now (also set on the queue-depth gauge)."""
        with self.engine.connect() as conn:
            counts: dict[str, int] = dict(conn.execute(select(generation_jobs.c.state, func.count()).where(
                generation_jobs.c.state.in_(ACTIVE)).group_by(generation_jobs.c.state)).all())
        out = {state: int(counts.get(state, 0)) for state in ACTIVE}
        for state, value in out.items():
            QUEUE_DEPTH.labels(state).set(value)
        return out

    # --- running --------------------------------------------------------------------------

    def claim(self, worker: str) -> Job | None:
        """Take the next job if fewer than ``max_running`` run site-wide (stale ones excepted)."""
        stale = _now() - timedelta(seconds=self.settings.stale_after_s)
        jobs = generation_jobs
        with self.engine.begin() as conn:
            if self.postgres:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CLAIM_LOCK})
            self._fail_exhausted(conn, stale)
            running = conn.execute(select(func.count()).select_from(jobs).where(
                jobs.c.state == "running", jobs.c.heartbeat_at >= stale)).scalar_one()
            if running >= self.settings.max_running:
                return None
            mine = select(func.count()).select_from(jobs.alias("r")).where(
                text("r.state = 'running'"), text("r.client_key = generation_jobs.client_key"))
            pick = (select(jobs).where(or_(jobs.c.state == "queued", and_(
                jobs.c.state == "running", jobs.c.heartbeat_at < stale)))
                .order_by(mine.scalar_subquery(), jobs.c.id).limit(1)
                .with_for_update(skip_locked=True, of=jobs))
            row = conn.execute(pick).first()
            if row is None:
                return None
            now = _now()
            conn.execute(update(jobs).where(jobs.c.id == row.id).values(
                state="running", worker=worker, started_at=now, heartbeat_at=now,
                attempts=jobs.c.attempts + 1))
        job = _job(row)
        return Job(**{**job.__dict__, "state": "running", "attempts": job.attempts + 1})

    def _fail_exhausted(self, conn: Connection, stale: datetime) -> None:
        jobs = generation_jobs
        error = CurbsideError("Generation was interrupted too many times. Ask again.",
                              retryable=True).to_dict()
        conn.execute(update(jobs).where(jobs.c.state == "running", jobs.c.heartbeat_at < stale,
                                        jobs.c.attempts >= MAX_ATTEMPTS).values(
            state="failed", finished_at=_now(), error=json.dumps(error)))

    def prune(self, older_than_s: float = 86_400.0) -> int:
        """Delete finished jobs (and their events) older than ``older_than_s``; their articles
        stay. Returns how many jobs went."""
        cutoff = _now() - timedelta(seconds=older_than_s)
        jobs, events = generation_jobs, generation_job_events
        with self.engine.begin() as conn:
            old = select(jobs.c.id).where(jobs.c.state.in_(("done", "failed")),
                                          jobs.c.finished_at < cutoff)
            ids = [int(i) for i in conn.execute(old).scalars()]
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                conn.execute(delete(events).where(events.c.job_id.in_(chunk)))
                conn.execute(delete(jobs).where(jobs.c.id.in_(chunk)))
        return len(ids)

    def heartbeat(self, job_id: int, worker: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(generation_jobs).where(
                generation_jobs.c.id == job_id, generation_jobs.c.worker == worker,
                generation_jobs.c.state == "running").values(heartbeat_at=_now()))

    def append(self, job_id: int, event: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(generation_job_events).values(
                job_id=job_id, payload=json.dumps(event, default=str)))

    def finish(self, job_id: int, *, slug: str | None = None,
               error: CurbsideError | None = None) -> None:
        values: dict[str, Any] = {"finished_at": _now(), "state": "done" if error is None else "failed"}
        if slug is not None:
            values["slug"] = slug
        if error is not None:
            values["error"] = json.dumps(error.to_dict(), default=str)
        with self.engine.begin() as conn:
            conn.execute(update(generation_jobs).where(generation_jobs.c.id == job_id)
                         .values(**values))


Execute = Callable[[Job, Callable[[dict[str, Any]], None]], str]


class JobRunner:
    """A worker's background thread: claim, run, report, heartbeat; stops with :meth:`stop`."""

    def __init__(self, queue: JobQueue, execute: Execute, *, worker: str | None = None) -> None:
        self.queue = queue
        self.execute = execute
        self.worker = worker or worker_name()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="curbside-jobs", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        last_prune = 0.0
        while not self._stop.is_set():
            try:
                if time.monotonic() - last_prune > PRUNE_EVERY_S:
                    last_prune = time.monotonic()
                    self.queue.prune()
                ran = self.run_once()
            except Exception:  # the database went away for a moment: keep the runner alive
                log.exception("generation runner: claim failed")
                ran = False
            if not ran:
                self._stop.wait(self.queue.settings.poll_interval_s * 2)

    def run_once(self) -> bool:
        """Claim and run one job; False when there was nothing to take."""
        job = self.queue.claim(self.worker)
        if job is None:
            return False
        beat = threading.Event()

        def heartbeat() -> None:
            while not beat.wait(self.queue.settings.stale_after_s / 3):
                try:
                    self.queue.heartbeat(job.id, self.worker)
                except Exception:
                    log.exception("generation runner: heartbeat failed")

        pulse = threading.Thread(target=heartbeat, name=f"curbside-job-{job.id}", daemon=True)
        pulse.start()
        try:
            slug = self.execute(job, lambda event: self.queue.append(job.id, event))
            self.queue.finish(job.id, slug=slug)
        except CurbsideError as exc:
            self.queue.finish(job.id, error=exc)
        except Exception as exc:
            log.exception("generation job %s failed", job.id)
            self.queue.finish(job.id, error=CurbsideError(
                "Generation failed on our side. Try again.", retryable=True,
                details={"reason": type(exc).__name__}))
        finally:
            beat.set()
        return True
