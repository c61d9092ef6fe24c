"""The two-person rule (issue 9, defect 1): nobody approves their own version; N approvals.

Before the fix a reviewer could ask a question, start the review and approve it alone, and an
admin could regenerate a version and approve it alone.
"""

from __future__ import annotations

import pytest

from curbside.accounts.models import Role, User
from curbside.articles.models import ReviewState
from curbside.articles.service import ArticleService
from curbside.errors import PermissionDeniedError
from curbside.settings import Settings
from tests.articles.conftest import MemoEmbedder, PassageAnswers

S = ReviewState
QUESTION = "What is Cole disease?"


def _start(service: ArticleService, slug: str, reviewer: User) -> tuple[int, int]:
    latest = service.view(slug).latest
    started = service.transition(slug, latest.id, "start_review", actor=reviewer,
                                 expected_lock_version=latest.lock_version)
    return started.id, started.lock_version


def test_a_reviewer_cannot_approve_the_version_they_asked_for(
        service: ArticleService, users: dict[Role, User], second_reviewer: User) -> None:
    reviewer = users[Role.REVIEWER]
    slug = service.ask(QUESTION, user=reviewer).slug
    vid, lock = _start(service, slug, reviewer)
    with pytest.raises(PermissionDeniedError) as denied:
        service.transition(slug, vid, "approve", actor=reviewer, expected_lock_version=lock)
    assert denied.value.code == "own_version" and "another reviewer" in denied.value.message
    assert service.view(slug).latest.state == S.UNDER_REVIEW  # nothing changed
    done = service.transition(slug, vid, "approve", actor=second_reviewer, expected_lock_version=lock)
    assert done.state == S.APPROVED
    assert service.get(slug, user=second_reviewer).reviewed_by == ["Lan Nguyen, MD, PhD (Endocrinology)"]


def test_an_admin_cannot_approve_a_version_they_regenerated(
        service: ArticleService, users: dict[Role, User]) -> None:
    admin, reviewer = users[Role.ADMIN], users[Role.REVIEWER]
    slug = service.ask(QUESTION).slug
    v2 = service.regenerate(slug, actor=admin)
    started = service.transition(slug, v2.id, "start_review", actor=admin,
                                 expected_lock_version=v2.lock_version)
    with pytest.raises(PermissionDeniedError):
        service.transition(slug, v2.id, "approve", actor=admin,
                           expected_lock_version=started.lock_version)
    assert service.transition(slug, v2.id, "approve", actor=reviewer,
                              expected_lock_version=started.lock_version).state == S.APPROVED


def test_whoever_resubmitted_a_version_cannot_approve_it(
        service: ArticleService, users: dict[Role, User]) -> None:
    admin, reviewer = users[Role.ADMIN], users[Role.REVIEWER]
    slug = service.ask(QUESTION).slug
    vid, lock = _start(service, slug, reviewer)
    changed = service.transition(slug, vid, "request_changes", actor=reviewer, comment="Cite more.",
                                 expected_lock_version=lock)
    again = service.transition(slug, vid, "resubmit", actor=admin,
                               expected_lock_version=changed.lock_version)
    started = service.transition(slug, vid, "start_review", actor=admin,
                                 expected_lock_version=again.lock_version)
    with pytest.raises(PermissionDeniedError):
        service.transition(slug, vid, "approve", actor=admin, expected_lock_version=started.lock_version)
    assert service.transition(slug, vid, "approve", actor=reviewer,
                              expected_lock_version=started.lock_version).state == S.APPROVED


def test_two_required_approvals_need_two_different_reviewers(
        art_settings: Settings, answers: PassageAnswers, memo_embedder: MemoEmbedder,
        users: dict[Role, User], second_reviewer: User) -> None:
    settings = art_settings.model_copy(
        update={"articles": art_settings.articles.model_copy(update={"required_approvals": 2})})
    service = ArticleService(settings, answers, embedder=memo_embedder)
    first = users[Role.REVIEWER]
    slug = service.ask(QUESTION).slug
    vid, lock = _start(service, slug, first)
    one = service.transition(slug, vid, "approve", actor=first, comment="Looks right.",
                             expected_lock_version=lock)
    assert one.state == S.UNDER_REVIEW and one.approved_at is None
    assert service.kb.store.source(f"board:{slug}:clinician") is None  # not published yet
    with pytest.raises(PermissionDeniedError) as twice:
        service.transition(slug, vid, "approve", actor=first, expected_lock_version=one.lock_version)
    assert twice.value.code == "already_approved"
    two = service.transition(slug, vid, "approve", actor=second_reviewer, comment="Agreed.",
                             expected_lock_version=one.lock_version)
    assert two.state == S.APPROVED and two.approved_at is not None
    # the audit trail shows who did what, both approvals included
    trail = [(e.action, e.actor, e.from_state, e.to_state, e.comment) for e in service.history(slug)]
    assert trail[-2:] == [
        ("approve", "Dana Rivera", S.UNDER_REVIEW, S.UNDER_REVIEW, "Looks right."),
        ("approve", "Lan Nguyen", S.UNDER_REVIEW, S.APPROVED, "Agreed."),
    ]
    view = service.view(slug)
    assert view.reviewed_by == ["Dana Rivera, MD (Radiology)", "Lan Nguyen, MD, PhD (Endocrinology)"]
    source = service.kb.store.source(f"board:{slug}:clinician")
    assert source is not None and "Dana Rivera" in source.attribution and "Lan Nguyen" in source.attribution
