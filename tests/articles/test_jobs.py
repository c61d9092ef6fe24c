"""The generation queue on real SQLite and PostgreSQL: one job per question, bounded running
jobs, fairness between askers, events relayed across runners, failures, dead workers' jobs
taken again. The work a job does is a stub here (the queue is what is tested); the real
generation through two worker processes is in tests/web/test_workers.py."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import update

from curbside.articles.jobs import Job, JobQueue, JobRunner, generation_jobs
from curbside.db import get_engine
from curbside.errors import InputError, RateLimitedError
from curbside.settings import JobsSettings

Report = Callable[[dict[str, Any]], None]


def queue_on(database_url: str, **settings: Any) -> JobQueue:
    options: dict[str, Any] = {"poll_interval_s": 0.02, "stale_after_s": 3.0, **settings}
    return JobQueue(get_engine(database_url), JobsSettings(**options))


def submit(queue: JobQueue, question: str, client: str = "addr:1",
           thread_id: str | None = None) -> int:
    return queue.submit(question, "clinician", thread_id=thread_id, user_id=None,
                        client_key=client)


def test_identical_questions_share_one_active_job(database_url: str) -> None:
    queue = queue_on(database_url)
    first = submit(queue, "What are gallstones?")
    assert submit(queue, "what are   GALLSTONES", client="addr:2") == first  # normalised
    assert queue.submit("What are gallstones?", "patient", thread_id=None, user_id=None,
                        client_key="addr:1") != first  # another audience is another article
    assert submit(queue, "What are gallstones?", thread_id="t1") != first  # follow-ups never merge
    assert queue.depth() == {"queued": 3, "running": 0}
    job = queue.claim("w1")
    assert job is not None and job.id == first
    queue.finish(first, slug="what-are-gallstones")
    assert submit(queue, "What are gallstones?") != first  # a finished job is not joined


def test_running_jobs_are_bounded_site_wide_and_fair_between_askers(database_url: str) -> None:
    queue = queue_on(database_url, max_running=2)
    a1, a2, a3 = (submit(queue, f"question {i}", client="addr:a") for i in range(3))
    b1 = submit(queue, "question b", client="addr:b")
    first = queue.claim("w1")
    second = queue.claim("w2")
    assert first is not None and second is not None
    assert (first.id, second.id) == (a1, b1)  # b has nothing running: its job goes before a2
    assert queue.claim("w3") is None  # two running on the site
    queue.finish(a1, slug="x")
    third = queue.claim("w1")
    assert third is not None and third.id == a2
    assert a3 > a2


def test_an_event_written_as_the_job_ends_reaches_the_waiter(database_url: str) -> None:
    """The waiter reads the job's state and its new events in two statements; a worker that writes its last event
    and marks the job done between them loses nothing (the state is read first, so a job read as done has
    every event it will ever have by the time the events are read)."""
    from sqlalchemy import event

    queue = queue_on(database_url)
    job_id = submit(queue, "What are gallstones?")
    job = queue.claim("w1")
    assert job is not None and job.id == job_id
    queue.append(job_id, {"event": "progress", "stage": "retrieving"})
    writer = JobQueue(get_engine(database_url), queue.settings)
    armed = {"state_reads": 0}

    def finish_between_the_reads(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        text = " ".join(statement.split()).lower()
        if armed["state_reads"] < 0 or not text.startswith("select") or "from generation_jobs " not in f"{text} ":
            return
        armed["state_reads"] += 1
        if armed["state_reads"] == 2:  # the second poll's state read: the worker ends now
            armed["state_reads"] = -1
            writer.append(job_id, {"event": "article", "slug": "gallstones"})
            writer.finish(job_id, slug="gallstones")

    event.listen(queue.engine, "before_cursor_execute", finish_between_the_reads)
    try:
        seen = list(queue.events(job_id, timeout_s=10))
    finally:
        event.remove(queue.engine, "before_cursor_execute", finish_between_the_reads)
    assert seen == [{"event": "progress", "stage": "retrieving"}, {"event": "article", "slug": "gallstones"},
                    {"event": "job_done", "slug": "gallstones"}]


def test_queue_full_is_a_429_with_retry_after(database_url: str) -> None:
    queue = queue_on(database_url, max_queued=2)
    submit(queue, "one")
    submit(queue, "two")
    with pytest.raises(RateLimitedError) as caught:
        submit(queue, "three")
    assert caught.value.status == 429 and caught.value.details["retry_after_s"] >= 1
    assert submit(queue, "one") > 0  # joining a queued job is always allowed


def test_events_reach_a_waiter_through_the_database(database_url: str) -> None:
    queue = queue_on(database_url)
    job_id = submit(queue, "What are gallstones?")
    release = threading.Event()

    def execute(job: Job, report: Report) -> str:
        report({"event": "progress", "stage": "retrieving"})
        release.wait(5)
        report({"event": "article", "slug": "gallstones", "audience": job.audience})
        return "gallstones"

    runner = JobRunner(JobQueue(get_engine(database_url), queue.settings), execute, worker="w9")
    runner.start()
    try:
        seen: list[dict[str, Any]] = []
        for event in queue.events(job_id, timeout_s=20):
            seen.append(event)
            if event.get("stage") == "retrieving":
                release.set()
        assert seen == [{"event": "progress", "stage": "retrieving"},
                        {"event": "article", "slug": "gallstones", "audience": "clinician"},
                        {"event": "job_done", "slug": "gallstones"}]
        assert queue.get(job_id).state == "done"
    finally:
        runner.stop()


def test_a_failed_job_raises_its_error_for_the_asker(database_url: str) -> None:
    queue = queue_on(database_url)
    job_id = submit(queue, "x?")

    def execute(job: Job, report: Report) -> str:
        raise InputError("That is not a question.")

    assert JobRunner(queue, execute).run_once()
    with pytest.raises(Exception) as caught:
        list(queue.events(job_id, timeout_s=5))
    error = caught.value
    assert getattr(error, "status", None) == 400 and getattr(error, "code", "") == "invalid_input"
    assert "not a question" in str(error)


def test_a_dead_workers_job_is_taken_again_then_given_up(database_url: str) -> None:
    queue = queue_on(database_url, max_running=1)
    job_id = submit(queue, "What are gallstones?")
    assert queue.claim("dead-worker") is not None
    assert queue.claim("w2") is None  # still running as far as anyone knows
    past = time.time() - 60

    def age_heartbeat() -> None:
        from datetime import UTC, datetime

        with queue.engine.begin() as conn:
            conn.execute(update(generation_jobs).where(generation_jobs.c.id == job_id).values(
                heartbeat_at=datetime.fromtimestamp(past, UTC)))

    age_heartbeat()  # no heartbeat for a minute: its worker died
    again = queue.claim("w2")
    assert again is not None and again.id == job_id and again.attempts == 2
    age_heartbeat()
    assert queue.claim("w3") is not None  # third attempt
    age_heartbeat()
    assert queue.claim("w4") is None  # given up after three attempts
    job = queue.get(job_id)
    assert job.state == "failed" and job.error is not None
    assert "interrupted" in job.error["error"]["message"]


def test_finished_jobs_are_pruned_with_their_events_after_a_day(database_url: str) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import func, select

    from curbside.articles.jobs import generation_job_events

    queue = queue_on(database_url)
    old, recent, waiting = (submit(queue, q) for q in ("old?", "recent?", "waiting?"))
    for job_id in (old, recent):
        assert queue.claim("w") is not None
        queue.append(job_id, {"event": "progress", "stage": "x"})
        queue.finish(job_id, slug="s")
    with queue.engine.begin() as conn:
        conn.execute(update(generation_jobs).where(generation_jobs.c.id == old).values(
            finished_at=datetime.now(UTC) - timedelta(days=2)))
    assert queue.prune() == 1
    with queue.engine.connect() as conn:
        left = set(conn.execute(select(generation_jobs.c.id)).scalars())
        events = conn.execute(select(func.count()).select_from(generation_job_events)).scalar_one()
    assert left == {recent, waiting} and events == 1
