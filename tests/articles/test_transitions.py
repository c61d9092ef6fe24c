"""Transitions in the database (SQLite and PostgreSQL): the whole table, audit trail, superseding."""

from __future__ import annotations

import pytest

from curbside.accounts.models import Role
from curbside.accounts.users import UserService
from curbside.articles import workflow
from curbside.articles.models import ArticleVersion, ReviewState
from curbside.articles.store import Actor, ArticleStore
from curbside.db import get_engine
from curbside.errors import ConflictError, IllegalTransitionError, InputError, NotFoundError
from curbside.settings import Settings
from tests.articles.factories import SYSTEM, make_article, placeholder

S = ReviewState
#: A reviewer with an account (approvals need an identified reviewer: the two-person rule).
ALICE = Actor(1, "Alice Board", "alice", "reviewer", "MD", "Radiology")

#: How to bring a fresh version into each state (the supersede route is built separately).
ROUTES: dict[ReviewState, list[str]] = {
    S.SUBMITTED: [],
    S.UNDER_REVIEW: ["start_review"],
    S.APPROVED: ["start_review", "approve"],
    S.CHANGES_REQUESTED: ["start_review", "request_changes"],
    S.REJECTED: ["reject"],
    S.RETRACTED: ["start_review", "approve", "retract"],
}


@pytest.fixture
def store(art_settings: Settings) -> ArticleStore:
    alice = UserService(art_settings).add("alice", "correct horse battery", role=Role.REVIEWER)
    assert alice.id == ALICE.id
    return ArticleStore(get_engine(art_settings.resolved_database_url))


def act(store: ArticleStore, article_id: int, version: ArticleVersion, name: str,
        comment: str = "because") -> ArticleVersion:
    return store.transition(article_id, version.id, workflow.ACTIONS[name], ALICE, comment, version.lock_version)


def version_in(store: ArticleStore, state: ReviewState, topic: str) -> tuple[int, ArticleVersion]:
    row = make_article(store, topic)
    _, version = store.version(store.versions(row.id)[0].id)
    if state == S.SUPERSEDED:
        store.add_version(row.id, placeholder(topic), SYSTEM, supersede_drafts=True)
        _, version = store.version(version.id)
    for name in ROUTES.get(state, []):
        version = act(store, row.id, version, name)
    assert version.state == state
    return row.id, version


@pytest.mark.parametrize("state", list(ReviewState))
def test_every_action_from_every_state(store: ArticleStore, state: ReviewState) -> None:
    """Allowed transitions land in the specified state; every other one raises IllegalTransitionError
    and changes nothing."""
    for name in workflow.USER_ACTIONS:
        article_id, version = version_in(store, state, f"{state.value} {name}")
        target = workflow.ACTIONS[name].target
        if state in workflow.ACTIONS[name].sources:
            done = act(store, article_id, version, name)
            assert done.state == target
            assert done.lock_version == version.lock_version + 1
        else:
            with pytest.raises(IllegalTransitionError):
                act(store, article_id, version, name)
            _, unchanged = store.version(version.id)
            assert (unchanged.state, unchanged.lock_version) == (state, version.lock_version)


def test_audit_trail_records_who_when_what_and_why(store: ArticleStore) -> None:
    row = make_article(store)
    v = store.versions(row.id)[0]
    v = act(store, row.id, v, "start_review")
    v = act(store, row.id, v, "request_changes", "Cite the newer guideline.")
    v = store.transition(row.id, v.id, workflow.ACTIONS["resubmit"], Actor(None, "Ed Itor", "ed", "editor"), "",
                         v.lock_version)
    v = act(store, row.id, v, "start_review")
    v = act(store, row.id, v, "approve", "Accurate.")
    events = store.events(row.id)
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("create", None, S.SUBMITTED),
        ("start_review", S.SUBMITTED, S.UNDER_REVIEW),
        ("request_changes", S.UNDER_REVIEW, S.CHANGES_REQUESTED),
        ("resubmit", S.CHANGES_REQUESTED, S.SUBMITTED),
        ("start_review", S.SUBMITTED, S.UNDER_REVIEW),
        ("approve", S.UNDER_REVIEW, S.APPROVED),
    ]
    change = events[2]
    assert (change.actor, change.actor_credentials, change.actor_specialty, change.actor_role) == (
        "Alice Board", "MD", "Radiology", "reviewer")
    assert change.comment == "Cite the newer guideline." and change.version_id == v.id
    assert events[3].actor == "Ed Itor" and events[3].actor_role == "editor"
    assert all(e.at.tzinfo is not None for e in events)
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert v.approved_at == events[-1].at  # stamped in the same transaction
    assert store.approvers(v.id) == ["Alice Board, MD (Radiology)"]


def test_approving_a_newer_version_supersedes_the_approved_one(store: ArticleStore) -> None:
    row = make_article(store)
    v1 = act(store, row.id, act(store, row.id, store.versions(row.id)[0], "start_review"), "approve")
    v2 = store.add_version(row.id, placeholder(text="Second text."), SYSTEM, supersede_drafts=True)
    assert v2.number == 2 and v2.state == S.SUBMITTED
    # the approved version stays public while version 2 is reviewed
    public, latest = store.public_and_latest(row.id, v1.audience)
    assert public is not None and public.id == v1.id and latest is not None and latest.id == v2.id
    v2 = act(store, row.id, act(store, row.id, v2, "start_review"), "approve")
    _, old = store.version(v1.id)
    assert old.state == S.SUPERSEDED and old.lock_version == v1.lock_version + 1
    # published versions are never edited in place: the old text is still there, unchanged
    assert old.answer == v1.answer
    public, latest = store.public_and_latest(row.id, v1.audience)
    assert public is not None and public.id == v2.id == latest.id  # type: ignore[union-attr]
    supersede = [e for e in store.events(row.id) if e.action == "supersede"]
    assert [(e.version_id, e.from_state, e.to_state, e.comment) for e in supersede] == [
        (v1.id, S.APPROVED, S.SUPERSEDED, "Superseded by version 2.")]
    # a superseded version cannot be brought back
    with pytest.raises(IllegalTransitionError):
        act(store, row.id, old, "approve")


def test_regenerating_supersedes_older_drafts_but_not_the_approved_version(store: ArticleStore) -> None:
    row = make_article(store)
    v1 = act(store, row.id, act(store, row.id, store.versions(row.id)[0], "start_review"), "approve")
    v2 = act(store, row.id, store.add_version(row.id, placeholder(), SYSTEM, supersede_drafts=True), "start_review")
    v3 = store.add_version(row.id, placeholder(), SYSTEM, supersede_drafts=True)
    states = {v.number: v.state for v in store.versions(row.id)}
    assert states == {1: S.APPROVED, 2: S.SUPERSEDED, 3: S.SUBMITTED}
    # a reviewer still holding version 2 gets a conflict, not a silent overwrite
    with pytest.raises(ConflictError):
        act(store, row.id, v2, "approve")
    assert v1.id != v3.id


def test_stale_lock_version_is_a_conflict(store: ArticleStore) -> None:
    row = make_article(store)
    v = store.versions(row.id)[0]
    act(store, row.id, v, "start_review")
    with pytest.raises(ConflictError) as info:
        act(store, row.id, v, "reject")  # v still says lock_version 1
    assert info.value.status == 409 and info.value.details["current_lock_version"] == 2
    assert store.version(v.id)[1].state == S.UNDER_REVIEW


def test_comment_required_and_unknown_version(store: ArticleStore) -> None:
    row = make_article(store)
    v = act(store, row.id, store.versions(row.id)[0], "start_review")
    with pytest.raises(InputError, match="needs a comment"):
        act(store, row.id, v, "reject", comment="")
    with pytest.raises(NotFoundError):
        store.transition(row.id, v.id + 999, workflow.ACTIONS["approve"], ALICE, "", 1)
    other = make_article(store, "topic B")
    with pytest.raises(NotFoundError):  # a version of another article
        store.transition(other.id, v.id, workflow.ACTIONS["approve"], ALICE, "", v.lock_version)


def test_slugs_are_readable_and_collision_safe(store: ArticleStore) -> None:
    first = make_article(store, "Topic A")
    second, created = store.create_article(question="What about topic A? (again)", slug_base="What about topic A?",
                                           thread_id=None, first=placeholder(), actor=SYSTEM, vector=None,
                                           embedding_model="")
    third, _ = store.create_article(question="What about topic A, once more", slug_base="What about topic A!",
                                    thread_id=None, first=placeholder(), actor=SYSTEM, vector=None,
                                    embedding_model="")
    assert created
    assert (first.slug, second.slug, third.slug) == ("what-about-topic-a", "what-about-topic-a-2",
                                                     "what-about-topic-a-3")
    same, created = store.create_article(question="what about TOPIC a", slug_base="x", thread_id=None,
                                         first=placeholder(), actor=SYSTEM, vector=None, embedding_model="")
    assert not created and same.id == first.id  # normalised-equal question: the existing article


def test_a_slug_never_shadows_a_fixed_path_beside_the_articles(store: ArticleStore) -> None:
    from curbside.articles.store import RESERVED_SLUGS, slugify

    for word in RESERVED_SLUGS:  # GET /api/v1/articles/recent lists articles; an article "Recent?" needs its own path
        row, _ = store.create_article(question=f"{word.title()}?", slug_base=f"{word.title()}?", thread_id=None,
                                      first=placeholder(), actor=SYSTEM, vector=None, embedding_model="")
        assert row.slug == f"{word}-article" == slugify(word)
