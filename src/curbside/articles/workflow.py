"""The review workflow and the permission matrix, declared as data in one place.

A version is created ``submitted``; reviewers (advisory board members) start the review and
approve, request changes or reject; editors resubmit after changes and retract what was
approved. ``supersede`` is done by the system only: when a newer version of the same audience is
approved, the approved one it replaces (and any older draft) becomes ``superseded``; when an
editor regenerates, older drafts are superseded by the new one.

Everything else in the package asks this module; nothing else spells out a state or a role list.
The checks are the one workflow engine's (:mod:`curbside.workflow`); this module only declares.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from curbside import workflow as engine
from curbside.accounts.models import Role, User
from curbside.articles.models import ReviewState

S = ReviewState


class Permission(StrEnum):
    ASK = "ask"  # ask a question; request an audience variant
    READ = "read"  # read articles
    REVIEW = "review"  # start review, approve, request changes, reject
    EDIT = "edit"  # regenerate a version, resubmit after changes
    RETRACT = "retract"  # withdraw an approved article
    SEE_QUEUE = "see_queue"  # the reviewer dashboard, diffs, history
    MANAGE_USERS = "manage_users"  # add users


#: The permission matrix: which roles hold each permission. Admins hold every one.
PERMISSIONS: Mapping[Permission, frozenset[Role]] = {
    Permission.ASK: frozenset(Role),
    Permission.READ: frozenset(Role),
    Permission.REVIEW: frozenset({Role.REVIEWER, Role.ADMIN}),
    Permission.EDIT: frozenset({Role.EDITOR, Role.ADMIN}),
    Permission.RETRACT: frozenset({Role.EDITOR, Role.ADMIN}),
    Permission.SEE_QUEUE: frozenset({Role.REVIEWER, Role.EDITOR, Role.ADMIN}),
    Permission.MANAGE_USERS: frozenset({Role.ADMIN}),
}


#: An action of the article review (the engine's, on review states, roles and permissions).
Action = engine.Action[ReviewState, Role, Permission]

#: The system's: a newer approved version (or a regeneration) replaces older ones.
SUPERSEDE = Action("supersede", "Supersede", frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED, S.APPROVED}),
                   S.SUPERSEDED, system=True)

#: The workflow. ``create`` (nothing → submitted) is recorded in the audit trail as well.
WORKFLOW: engine.Workflow[ReviewState, Role, Permission] = engine.Workflow.of(
    (
        Action("start_review", "Start review", frozenset({S.SUBMITTED}), S.UNDER_REVIEW,
               permission=Permission.REVIEW),
        Action("approve", "Approve", frozenset({S.UNDER_REVIEW}), S.APPROVED, permission=Permission.REVIEW),
        Action("request_changes", "Request changes", frozenset({S.UNDER_REVIEW}), S.CHANGES_REQUESTED,
               permission=Permission.REVIEW, comment_required=True),
        Action("reject", "Reject", frozenset({S.SUBMITTED, S.UNDER_REVIEW}), S.REJECTED,
               permission=Permission.REVIEW, comment_required=True),
        Action("resubmit", "Resubmit", frozenset({S.CHANGES_REQUESTED}), S.SUBMITTED, permission=Permission.EDIT),
        Action("retract", "Retract", frozenset({S.APPROVED}), S.RETRACTED, permission=Permission.RETRACT,
               comment_required=True),
        SUPERSEDE,
    ),
    permissions=PERMISSIONS,
    anonymous=Role.READER,  # anonymous visitors are readers
)
ACTIONS = WORKFLOW.actions

CREATE = "create"
INITIAL_STATE = S.SUBMITTED

#: Actions a person may request through ArticleService.transition.
USER_ACTIONS: tuple[str, ...] = WORKFLOW.user_actions

#: States of a version that still waits for someone (reviewers: the first two).
AWAITING_REVIEW: frozenset[ReviewState] = frozenset({S.SUBMITTED, S.UNDER_REVIEW})
DRAFT_STATES: frozenset[ReviewState] = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED})
#: States nothing leaves.
TERMINAL_STATES: frozenset[ReviewState] = WORKFLOW.terminal_states(ReviewState)


# The engine's checks, under the names the package uses.
role_of = WORKFLOW.role_of
allowed = WORKFLOW.holds  # whether a user holds a permission
require = WORKFLOW.require
action = WORKFLOW.action
check_actor = WORKFLOW.check_actor
check_transition = WORKFLOW.check_transition


def available_actions(user: User | None, state: ReviewState) -> list[str]:
    """The names of the actions ``user`` could take on a version in ``state`` (for the CLI and tests)."""
    return [a.name for a in WORKFLOW.allowed(state, user)]
