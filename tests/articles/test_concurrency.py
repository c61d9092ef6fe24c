"""Two reviewers acting on the same version at once: exactly one wins, no update is lost.

Both threads are held at a barrier right after they read the version, so both pass the early
lock_version check with the same value; the race is decided by the UPDATE's
``WHERE lock_version = :expected`` on a real SQLite file and a real PostgreSQL server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from curbside.accounts.models import Role, User
from curbside.articles.models import ArticleVersion, ReviewState
from curbside.articles.service import ArticleService
from curbside.articles.store import ArticleStore
from curbside.errors import ConflictError
from curbside.settings import Settings
from tests.articles.factories import make_article

S = ReviewState


def _hold_after_loading(monkeypatch: pytest.MonkeyPatch, parties: int) -> None:
    barrier = threading.Barrier(parties)
    original = ArticleStore._load_for_transition

    def load_then_wait(self: ArticleStore, conn: Any, version_id: int) -> Any:
        row = original(self, conn, version_id)
        barrier.wait(timeout=60)
        return row

    monkeypatch.setattr(ArticleStore, "_load_for_transition", load_then_wait)


def _race(calls: list[Callable[[], ArticleVersion]]) -> tuple[list[ArticleVersion], list[BaseException]]:
    won: list[ArticleVersion] = []
    lost: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], ArticleVersion]) -> None:
        try:
            result = call()
            with lock:
                won.append(result)
        except BaseException as exc:  # collected and checked by the test
            with lock:
                lost.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return won, lost


@pytest.fixture
def under_review(art_settings: Settings, users: dict[Role, User]) -> tuple[ArticleService, str, ArticleVersion]:
    service = ArticleService(art_settings)  # no answers needed: the version is already there
    row = make_article(service.store)
    version = service.store.versions(row.id)[0]
    version = service.transition(row.slug, version.id, "start_review", actor=users[Role.REVIEWER],
                                 expected_lock_version=version.lock_version)
    return service, row.slug, version


@pytest.mark.parametrize(("first", "second"), [("request_changes", "reject"), ("reject", "reject")])
def test_concurrent_review_exactly_one_wins(monkeypatch: pytest.MonkeyPatch, under_review: tuple[
        ArticleService, str, ArticleVersion], users: dict[Role, User], second_reviewer: User,
        first: str, second: str) -> None:
    service, slug, loaded = under_review
    _hold_after_loading(monkeypatch, 2)
    won, lost = _race([
        lambda: service.transition(slug, loaded.id, first, actor=users[Role.REVIEWER], comment="first reviewer",
                                   expected_lock_version=loaded.lock_version),
        lambda: service.transition(slug, loaded.id, second, actor=second_reviewer, comment="second reviewer",
                                   expected_lock_version=loaded.lock_version),
    ])
    assert len(won) == 1 and len(lost) == 1, (won, lost)
    assert isinstance(lost[0], ConflictError)
    # decided by the UPDATE's WHERE clause (the early check saw the same lock_version in both)
    assert "current_lock_version" not in lost[0].details
    winner = won[0]
    _, stored = service.store.version(loaded.id)
    assert stored.state == winner.state and stored.lock_version == loaded.lock_version + 1
    decisions = [e for e in service.history(slug) if e.from_state == S.UNDER_REVIEW]
    assert len(decisions) == 1  # the loser left no trace
    assert decisions[0].comment in ("first reviewer", "second reviewer")
    assert decisions[0].to_state == winner.state


def test_concurrent_approvals_publish_once(monkeypatch: pytest.MonkeyPatch, under_review: tuple[
        ArticleService, str, ArticleVersion], users: dict[Role, User], second_reviewer: User) -> None:
    service, slug, loaded = under_review
    _hold_after_loading(monkeypatch, 2)
    def approve_as(reviewer: User) -> Callable[[], ArticleVersion]:
        return lambda: service.transition(slug, loaded.id, "approve", actor=reviewer,
                                          expected_lock_version=loaded.lock_version)

    won, lost = _race([approve_as(users[Role.REVIEWER]), approve_as(second_reviewer)])
    assert len(won) == 1 and [type(e) for e in lost] == [ConflictError]
    assert [e.action for e in service.history(slug)].count("approve") == 1
    view = service.view(slug)
    assert view.public is not None and view.public.state == S.APPROVED and not view.pending_review
    assert len(view.reviewed_by) == 1


def test_a_stale_page_cannot_undo_a_decision(under_review: tuple[ArticleService, str, ArticleVersion],
                                             users: dict[Role, User], second_reviewer: User) -> None:
    """One after the other: the second reviewer still has the old lock_version."""
    service, slug, loaded = under_review
    service.transition(slug, loaded.id, "request_changes", actor=users[Role.REVIEWER], comment="fix it",
                       expected_lock_version=loaded.lock_version)
    with pytest.raises(ConflictError) as info:
        service.transition(slug, loaded.id, "reject", actor=second_reviewer, comment="no",
                           expected_lock_version=loaded.lock_version)
    assert info.value.details["current_lock_version"] == loaded.lock_version + 1
    assert service.store.version(loaded.id)[1].state == S.CHANGES_REQUESTED
