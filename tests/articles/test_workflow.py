"""The workflow and permission tables themselves (pure data, no database)."""

from __future__ import annotations

import itertools

import pytest

from curbside.accounts.models import Role, User
from curbside.articles import workflow
from curbside.articles.models import ReviewState
from curbside.articles.workflow import ACTIONS, PERMISSIONS, USER_ACTIONS, Permission
from curbside.errors import IllegalTransitionError, InputError, PermissionDeniedError

S = ReviewState


def _user(role: Role) -> User:
    return User(id=1, username=role.value, display_name=role.value, role=role)


#: The specification, written out independently of workflow.py.
EXPECTED = {
    ("start_review", S.SUBMITTED): S.UNDER_REVIEW,
    ("approve", S.UNDER_REVIEW): S.APPROVED,
    ("request_changes", S.UNDER_REVIEW): S.CHANGES_REQUESTED,
    ("reject", S.SUBMITTED): S.REJECTED,
    ("reject", S.UNDER_REVIEW): S.REJECTED,
    ("resubmit", S.CHANGES_REQUESTED): S.SUBMITTED,
    ("retract", S.APPROVED): S.RETRACTED,
}


@pytest.mark.parametrize(("action", "state"), list(itertools.product(USER_ACTIONS, ReviewState)))
def test_check_transition_matches_the_specification(action: str, state: ReviewState) -> None:
    act = workflow.action(action)
    if (action, state) in EXPECTED:
        assert workflow.check_transition(act, state, "a reason") == EXPECTED[(action, state)]
    else:
        with pytest.raises(IllegalTransitionError) as info:
            workflow.check_transition(act, state, "a reason")
        assert info.value.status == 409 and isinstance(info.value, InputError)
        assert info.value.details["state"] == state.value


def test_user_actions_and_final_states() -> None:
    assert set(USER_ACTIONS) == {"start_review", "approve", "request_changes", "reject", "resubmit", "retract"}
    assert {S.REJECTED, S.RETRACTED, S.SUPERSEDED} == workflow.TERMINAL_STATES
    assert workflow.INITIAL_STATE == S.SUBMITTED
    # supersede is the system's: never requested by a person
    with pytest.raises(IllegalTransitionError):
        workflow.action("supersede")
    with pytest.raises(IllegalTransitionError, match="Unknown review action"):
        workflow.action("publish")
    assert ACTIONS["supersede"].system and ACTIONS["supersede"].target == S.SUPERSEDED
    assert S.APPROVED in ACTIONS["supersede"].sources


@pytest.mark.parametrize("action", ["request_changes", "reject", "retract"])
def test_some_actions_need_a_comment(action: str) -> None:
    act = workflow.action(action)
    state = next(iter(act.sources))
    with pytest.raises(InputError, match="needs a comment"):
        workflow.check_transition(act, state, "  ")


MATRIX = {
    # role: permissions held
    Role.READER: {Permission.ASK, Permission.READ},
    Role.REVIEWER: {Permission.ASK, Permission.READ, Permission.REVIEW, Permission.SEE_QUEUE},
    Role.EDITOR: {Permission.ASK, Permission.READ, Permission.EDIT, Permission.RETRACT, Permission.SEE_QUEUE},
    Role.ADMIN: set(Permission),
}


@pytest.mark.parametrize(("role", "permission"), list(itertools.product(Role, Permission)))
def test_permission_matrix(role: Role, permission: Permission) -> None:
    user = _user(role)
    assert (role in PERMISSIONS[permission]) == (permission in MATRIX[role])
    if permission in MATRIX[role]:
        workflow.require(user, permission)
    else:
        with pytest.raises(PermissionDeniedError) as info:
            workflow.require(user, permission)
        assert info.value.status == 403 and role.value in info.value.message


def test_anonymous_visitors_are_readers() -> None:
    assert workflow.role_of(None) == Role.READER
    workflow.require(None, Permission.ASK)
    with pytest.raises(PermissionDeniedError, match="anonymous reader"):
        workflow.require(None, Permission.REVIEW)


def test_available_actions_follow_both_tables() -> None:
    assert workflow.available_actions(_user(Role.REVIEWER), S.UNDER_REVIEW) == ["approve", "request_changes", "reject"]
    assert workflow.available_actions(_user(Role.EDITOR), S.UNDER_REVIEW) == []
    assert workflow.available_actions(_user(Role.EDITOR), S.APPROVED) == ["retract"]
    assert workflow.available_actions(_user(Role.ADMIN), S.SUBMITTED) == ["start_review", "reject"]
    assert workflow.available_actions(None, S.SUBMITTED) == []
    assert workflow.available_actions(_user(Role.ADMIN), S.SUPERSEDED) == []
