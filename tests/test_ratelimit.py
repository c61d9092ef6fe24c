"""The database rate limiter: one count for every worker, no burst at a window boundary, a
Retry-After that is right. Real SQLite and PostgreSQL; two limiters = two workers' views. And it
is the one limiter: no other class in curbside counts clients' requests."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import curbside
from curbside.db import get_engine
from curbside.errors import RateLimitedError
from curbside.ratelimit import DatabaseRateLimiter, retry_after


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_two_limiters_on_one_database_share_the_count(database_url: str) -> None:
    engine = get_engine(database_url)
    clock = Clock(6_000_000.0)  # the start of a window
    worker_a = DatabaseRateLimiter(engine, 4, clock=clock)
    worker_b = DatabaseRateLimiter(engine, 4, clock=clock)
    for limiter in (worker_a, worker_b, worker_a, worker_b):
        limiter.hit("addr:1")
    with pytest.raises(RateLimitedError) as caught:
        worker_b.hit("addr:1")
    error = caught.value
    assert error.status == 429 and error.details["limit_per_minute"] == 4
    assert error.details["retry_after_s"] == 60 + 15  # the next window, then 1/4 of it to fade
    worker_a.hit("addr:2")  # another client has its own count
    other_scope = DatabaseRateLimiter(engine, 4, clock=clock, scope="login")
    other_scope.hit("addr:1")  # and so does another limit


def test_no_burst_at_the_window_boundary_and_refusals_are_not_counted(database_url: str) -> None:
    engine = get_engine(database_url)
    clock = Clock(6_000_000.0 + 50)  # ten seconds before the next window
    limiter = DatabaseRateLimiter(engine, 3, clock=clock)
    for _ in range(3):
        limiter.hit("k")
    for _ in range(5):  # knocking while refused
        with pytest.raises(RateLimitedError):
            limiter.hit("k")
    clock.now += 11  # one second into the next window: the last minute still holds 3
    with pytest.raises(RateLimitedError) as caught:
        limiter.hit("k")
    # previous 3 × (1 − t/60) + 0 + 1 ≤ 3 once t ≥ 20 s: 19 s from now.
    assert caught.value.details["retry_after_s"] == 19
    clock.now += 19
    limiter.hit("k")  # the refused knocks were not counted


def test_retry_after_formula() -> None:
    assert retry_after(10, 0, 10, 30.0) == 30 + 6  # current window full
    assert retry_after(10, 20, 0, 0.0) == 33  # previous 20 fading: 20 × (1 − t/60) + 1 ≤ 10
    assert retry_after(10, 0, 0, 59.9) == 1  # never less than a second


def test_retry_after_counts_down_and_waiting_it_is_enough(database_url: str) -> None:
    engine = get_engine(database_url)
    clock = Clock(6_000_000.0 + 10)
    limiter = DatabaseRateLimiter(engine, 3, clock=clock)
    for _ in range(3):
        limiter.hit("a")
    with pytest.raises(RateLimitedError) as caught:
        limiter.hit("a")
    # 50 s to the next window, then 20 s for the 3 of this one to fade to 2.
    assert caught.value.details == {"limit_per_minute": 3, "retry_after_s": 70}
    limiter.hit("b")  # another client is not affected
    clock.now += 30
    with pytest.raises(RateLimitedError) as caught:
        limiter.hit("a")
    assert caught.value.details["retry_after_s"] == 40
    clock.now += 39
    with pytest.raises(RateLimitedError) as caught:
        limiter.hit("a")
    assert caught.value.details["retry_after_s"] == 1
    clock.now += 1
    limiter.hit("a")  # the wait Retry-After named was enough


def test_one_rate_limiter_class_in_the_package() -> None:
    """Counting clients' requests is ``curbside.ratelimit``'s alone: every class with a ``hit``
    method (the :class:`~curbside.ratelimit.Limiter` protocol) is in that module."""
    package = Path(curbside.__file__).parent
    limiters = sorted(
        f"{path.relative_to(package)}: {node.name}"
        for path in package.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and any(isinstance(item, ast.FunctionDef) and item.name == "hit" for item in node.body))
    assert limiters == ["ratelimit.py: DatabaseRateLimiter", "ratelimit.py: Limiter"]
