"""The review workflow and the permission matrix, declared as data in one place.

A version is created ``submitted``; reviewers (advisory board members) start the review and
approve, request changes or reject; editors resubmit after changes and retract what was
approved. ``supersede`` is done by the system only: when a newer version of the same audience is
approved, the approved one it replaces (and any older draft) becomes ``superseded``; when an
editor regenerates, older drafts are superseded by the new one.

Everything else in the package asks this module; nothing else spells out a state or a role list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from curbside.accounts.models import Role, User
from curbside.articles.models import ReviewState
from curbside.errors import IllegalTransitionError, InputError, PermissionDeniedError

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


@dataclass(frozen=True)
class Action:
    """One workflow action: from which states to which, who may do it, whether it needs a reason."""

    name: str
    label: str
    sources: frozenset[ReviewState]
    target: ReviewState
    permission: Permission | None  # None: done by the system only
    comment_required: bool = False

    @property
    def system(self) -> bool:
        return self.permission is None


#: The workflow. ``create`` (nothing → submitted) is recorded in the audit trail as well.
ACTIONS: Mapping[str, Action] = {
    a.name: a
    for a in (
        Action(
            "start_review",
            "Start review",
            frozenset({S.SUBMITTED}),
            S.UNDER_REVIEW,
            Permission.REVIEW,
        ),
        Action("approve", "Approve", frozenset({S.UNDER_REVIEW}), S.APPROVED, Permission.REVIEW),
        Action(
            "request_changes",
            "Request changes",
            frozenset({S.UNDER_REVIEW}),
            S.CHANGES_REQUESTED,
            Permission.REVIEW,
            comment_required=True,
        ),
        Action(
            "reject",
            "Reject",
            frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
            S.REJECTED,
            Permission.REVIEW,
            comment_required=True,
        ),
        Action(
            "resubmit", "Resubmit", frozenset({S.CHANGES_REQUESTED}), S.SUBMITTED, Permission.EDIT
        ),
        Action(
            "retract",
            "Retract",
            frozenset({S.APPROVED}),
            S.RETRACTED,
            Permission.RETRACT,
            comment_required=True,
        ),
        Action(
            "supersede",
            "Supersede",
            frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED, S.APPROVED}),
            S.SUPERSEDED,
            None,
        ),
    )
}

CREATE = "create"
INITIAL_STATE = S.SUBMITTED

#: Actions a person may request through ArticleService.transition.
USER_ACTIONS: tuple[str, ...] = tuple(name for name, action in ACTIONS.items() if not action.system)

#: States of a version that still waits for someone (reviewers: the first two).
AWAITING_REVIEW: frozenset[ReviewState] = frozenset({S.SUBMITTED, S.UNDER_REVIEW})
DRAFT_STATES: frozenset[ReviewState] = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED})
#: States nothing leaves.
TERMINAL_STATES: frozenset[ReviewState] = frozenset(
    s for s in ReviewState if not any(s in a.sources for a in ACTIONS.values())
)


def role_of(user: User | None) -> Role:
    """Anonymous visitors are readers."""
    return user.role if user is not None else Role.READER


def allowed(user: User | None, permission: Permission) -> bool:
    return role_of(user) in PERMISSIONS[permission]


def require(user: User | None, permission: Permission) -> None:
    """Raise PermissionDeniedError unless ``user`` holds ``permission``."""
    if not allowed(user, permission):
        who = (
            f"'{user.username}' ({user.role.value})" if user is not None else "an anonymous reader"
        )
        roles = ", ".join(sorted(r.value for r in PERMISSIONS[permission]))
        raise PermissionDeniedError(
            f"{who} may not {permission.value.replace('_', ' ')}; that needs one of the "
            f"roles: {roles}. Sign in with such an account.",
            details={"permission": permission.value, "roles": sorted(PERMISSIONS[permission])},
        )


def action(name: str) -> Action:
    """The user action called ``name``; unknown or system-only names are illegal transitions."""
    found = ACTIONS.get(name)
    if found is None or found.system:
        raise IllegalTransitionError(
            f"Unknown review action {name!r}; use one of: {', '.join(USER_ACTIONS)}.",
            details={"action": name, "actions": list(USER_ACTIONS)},
        )
    return found


def check_actor(user: User | None, act: Action) -> None:
    """Raise PermissionDeniedError unless ``user``'s role may perform ``act``."""
    if act.permission is None:
        raise PermissionDeniedError(f"'{act.name}' is done by the system only.")
    require(user, act.permission)


def check_transition(act: Action, current: ReviewState, comment: str = "") -> ReviewState:
    """The state ``act`` leads to from ``current``; IllegalTransitionError when not allowed."""
    if current not in act.sources:
        possible = [a.name for a in ACTIONS.values() if not a.system and current in a.sources]
        hint = (
            f"from {current.value} you may: {', '.join(possible)}"
            if possible
            else f"{current.value} is final"
        )
        raise IllegalTransitionError(
            f"Cannot {act.name.replace('_', ' ')} a version that is {current.value} ({hint}).",
            details={"action": act.name, "state": current.value, "allowed_actions": possible},
        )
    if act.comment_required and not comment.strip():
        raise InputError(
            f"'{act.name}' needs a comment that says why.", details={"action": act.name}
        )
    return act.target


def available_actions(user: User | None, state: ReviewState) -> list[str]:
    """The actions ``user`` could take on a version in ``state`` (for buttons and the CLI)."""
    return [
        a.name
        for a in ACTIONS.values()
        if not a.system
        and state in a.sources
        and a.permission is not None
        and allowed(user, a.permission)
    ]
