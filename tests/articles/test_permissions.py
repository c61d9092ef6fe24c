"""Who may do what, through the service, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from curbside.accounts.models import Role, User
from curbside.accounts.users import UserService
from curbside.articles.models import ReviewState
from curbside.articles.service import ArticleService
from curbside.errors import PermissionDeniedError
from curbside.settings import Settings
from tests.articles.conftest import PASSWORD, PassageAnswers

S = ReviewState
QUESTION = "What is Cole disease?"


@pytest.fixture
def reader_account(art_settings: Settings) -> User:
    return UserService(art_settings).add("signedin", PASSWORD, role=Role.READER)


def test_readers_ask_and_read_but_never_review(service: ArticleService, reader_account: User,
                                               answers: PassageAnswers) -> None:
    view = service.ask(QUESTION, user=None)
    assert service.ask("What makes my mouth so dry?", user=reader_account).latest.state == S.SUBMITTED
    service.get(view.slug, user=reader_account)
    v = view.latest
    for action in ("start_review", "approve", "reject", "retract", "resubmit", "request_changes"):
        with pytest.raises(PermissionDeniedError):
            service.transition(view.slug, v.id, action, actor=reader_account, comment="x",
                               expected_lock_version=v.lock_version)
    with pytest.raises(PermissionDeniedError):
        service.regenerate(view.slug, actor=reader_account)
    assert service.view(view.slug).latest.lock_version == v.lock_version  # nothing changed
    assert service.versions(view.slug)[0].provenance.requested_by == ""  # type: ignore[union-attr]


def test_reviewers_review_editors_edit_admins_do_everything(service: ArticleService,
                                                            users: dict[Role, User]) -> None:
    reviewer, editor, admin = users[Role.REVIEWER], users[Role.EDITOR], users[Role.ADMIN]
    slug = service.ask(QUESTION).slug

    def latest() -> tuple[int, int]:
        v = service.view(slug).latest
        return v.id, v.lock_version

    vid, lock = latest()
    with pytest.raises(PermissionDeniedError):  # editors do not review
        service.transition(slug, vid, "start_review", actor=editor, expected_lock_version=lock)
    service.transition(slug, vid, "start_review", actor=reviewer, expected_lock_version=lock)
    vid, lock = latest()
    service.transition(slug, vid, "request_changes", actor=reviewer, comment="Add the inheritance section.",
                       expected_lock_version=lock)
    vid, lock = latest()
    with pytest.raises(PermissionDeniedError):  # reviewers do not resubmit or regenerate
        service.transition(slug, vid, "resubmit", actor=reviewer, expected_lock_version=lock)
    with pytest.raises(PermissionDeniedError):
        service.regenerate(slug, actor=reviewer)
    v2 = service.regenerate(slug, actor=editor)
    assert v2.number == 2 and v2.provenance is not None and v2.provenance.requested_by == "okafor"
    service.transition(slug, v2.id, "start_review", actor=admin, expected_lock_version=v2.lock_version)
    vid, lock = latest()
    service.transition(slug, vid, "approve", actor=admin, expected_lock_version=lock)
    vid, lock = latest()
    with pytest.raises(PermissionDeniedError):  # reviewers do not retract
        service.transition(slug, vid, "retract", actor=reviewer, comment="no", expected_lock_version=lock)
    service.transition(slug, vid, "retract", actor=editor, comment="Guidance withdrawn.", expected_lock_version=lock)
    trail = [(e.action, e.actor_role) for e in service.history(slug)]
    assert trail == [("create", "reader"), ("start_review", "reviewer"), ("request_changes", "reviewer"),
                     ("create", "editor"), ("supersede", "editor"), ("start_review", "admin"),
                     ("approve", "admin"), ("retract", "editor")]
