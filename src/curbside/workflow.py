"""The one review-workflow engine: a workflow is data (its actions), checked here and nowhere else.

A :class:`Workflow` holds :class:`Action` s — from which states to which, who may take them (a set
of roles, or a permission of the workflow's permission matrix), whether they need a comment, and
whether only the system takes them. The article review (``articles/workflow.py``) and the consult
board (``consult/workflow.py``) each declare theirs with it; services, pages and the CLI ask the
workflow (:meth:`Workflow.check`, :meth:`Workflow.allowed`) instead of reading a table.

Generic over the states ``S``, the roles ``R`` and the permissions ``P`` (string enums), so that
this foundation module names no package above it. What a refusal says is a :class:`Wording`,
which a workflow may override.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from curbside.errors import IllegalTransitionError, InputError, PermissionDeniedError

S = TypeVar("S", bound=StrEnum)
R = TypeVar("R", bound=StrEnum)
P = TypeVar("P", bound=str)
R_co = TypeVar("R_co", bound=StrEnum, covariant=True)


class Subject(Protocol[R_co]):
    """Whoever acts: a signed-in user (``None`` is an anonymous visitor, when the workflow has one)."""

    @property
    def username(self) -> str: ...

    @property
    def role(self) -> R_co: ...


@dataclass(frozen=True)
class Action(Generic[S, R, P]):
    """One workflow action: from which states to which, who may do it, whether it needs a reason.

    Who may do it is ``roles``, or the roles holding ``permission`` in the workflow's matrix;
    a ``system`` action has neither: no person may request it.
    """

    name: str
    label: str
    sources: frozenset[S]
    target: S
    permission: P | None = None
    roles: frozenset[R] = frozenset()
    comment_required: bool = False
    system: bool = False

    def __post_init__(self) -> None:
        has_roles = self.permission is not None or bool(self.roles)
        if self.system == has_roles or (self.permission is not None and self.roles):
            raise ValueError(f"Action {self.name!r}: give roles or a permission, unless it is system-only.")


class Wording:
    """What the refusals say; a workflow passes its own subclass to change a message."""

    kind = "review"  # "Unknown review action …"
    item = "a version"  # "Cannot approve a version that is …"

    def unknown(self, name: str, actions: Sequence[str]) -> IllegalTransitionError:
        return IllegalTransitionError(
            f"Unknown {self.kind} action {name!r}; use one of: {', '.join(actions)}.",
            details={"action": name, "actions": list(actions)},
        )

    def illegal(self, action: str, state: str, sources: Sequence[str], possible: Sequence[str]) -> IllegalTransitionError:
        hint = f"from {state} you may: {', '.join(possible)}" if possible else f"{state} is final"
        return IllegalTransitionError(
            f"Cannot {action.replace('_', ' ')} {self.item} that is {state} ({hint}).",
            details={"action": action, "state": state, "allowed_actions": list(possible)},
        )

    def denied(self, who: str, doing: str, roles: Sequence[str]) -> PermissionDeniedError:
        """``who`` lacks the permission (or may not take the action) ``doing``."""
        return PermissionDeniedError(
            f"{who} may not {doing.replace('_', ' ')}; that needs one of the roles: {', '.join(roles)}. "
            "Sign in with such an account.",
            details={"permission": doing, "roles": list(roles)},
        )

    def system_only(self, action: str) -> PermissionDeniedError:
        return PermissionDeniedError(f"'{action}' is done by the system only.")

    def comment_missing(self, action: str) -> InputError:
        return InputError(f"'{action}' needs a comment that says why.", details={"action": action})


@dataclass(frozen=True)
class Workflow(Generic[S, R, P]):
    """A set of actions over the states ``S``, with an optional permission matrix ``P`` → roles."""

    actions: Mapping[str, Action[S, R, P]]
    permissions: Mapping[P, frozenset[R]] = field(default_factory=dict)
    anonymous: R | None = None  # the role of a visitor who has not signed in; None: always signed in
    wording: Wording = field(default_factory=Wording)

    @classmethod
    def of(cls, actions: Iterable[Action[S, R, P]], *, permissions: Mapping[P, frozenset[R]] | None = None,
           anonymous: R | None = None, wording: Wording | None = None) -> Workflow[S, R, P]:
        """The workflow of ``actions``, in the order given (the order of buttons)."""
        table: dict[str, Action[S, R, P]] = {}
        for act in actions:
            if act.name in table:
                raise ValueError(f"Two actions are called {act.name!r}.")
            table[act.name] = act
        return cls(table, permissions or {}, anonymous, wording or Wording())

    def __post_init__(self) -> None:
        unknown = [a.name for a in self.actions.values() if a.permission is not None and a.permission not in self.permissions]
        if unknown:
            raise ValueError(f"Actions with a permission the matrix lacks: {unknown}.")

    # --- what the workflow is ------------------------------------------------------------------

    @property
    def user_actions(self) -> tuple[str, ...]:
        """The actions a person may request (all but the system's)."""
        return tuple(name for name, a in self.actions.items() if not a.system)

    def terminal_states(self, states: Iterable[S]) -> frozenset[S]:
        """Of ``states``, those no action leaves."""
        return frozenset(s for s in states if not any(s in a.sources for a in self.actions.values()))

    def label(self, name: str) -> str:
        """The button label of action ``name`` (the name itself when there is no such action)."""
        found = self.actions.get(name)
        return found.label if found is not None else name

    # --- who -----------------------------------------------------------------------------------

    def role_of(self, user: Subject[R] | None) -> R:
        if user is not None:
            return user.role
        if self.anonymous is None:
            raise PermissionDeniedError("Sign in first.")
        return self.anonymous

    def _who(self, user: Subject[R] | None) -> str:
        if user is None:
            return f"an anonymous {self.role_of(None).value}"
        return f"'{user.username}' ({user.role.value})"

    def roles(self, act: Action[S, R, P]) -> frozenset[R]:
        """The roles that may take ``act`` (none for a system action)."""
        return self.permissions[act.permission] if act.permission is not None else act.roles

    def holds(self, user: Subject[R] | None, permission: P) -> bool:
        return self.role_of(user) in self.permissions[permission]

    def require(self, user: Subject[R] | None, permission: P) -> None:
        """Raise PermissionDeniedError unless ``user`` holds ``permission``."""
        if not self.holds(user, permission):
            raise self.wording.denied(self._who(user), str(permission), sorted(self.permissions[permission]))

    def may(self, user: Subject[R] | None, act: Action[S, R, P] | str) -> bool:
        """Whether ``user``'s role may take ``act`` (in some state)."""
        return self.role_of(user) in self.roles(self.action(act) if isinstance(act, str) else act)

    # --- checks --------------------------------------------------------------------------------

    def action(self, name: str) -> Action[S, R, P]:
        """The user action called ``name``; unknown or system-only names are illegal transitions."""
        found = self.actions.get(name)
        if found is None or found.system:
            raise self.wording.unknown(name, self.user_actions)
        return found

    def check_actor(self, user: Subject[R] | None, act: Action[S, R, P]) -> None:
        """Raise PermissionDeniedError unless ``user``'s role may take ``act``."""
        if act.system:
            raise self.wording.system_only(act.name)
        if act.permission is not None:
            self.require(user, act.permission)
        elif not self.may(user, act):
            raise self.wording.denied(self._who(user), act.name, sorted(act.roles))

    def check_transition(self, act: Action[S, R, P], current: S, comment: str = "") -> S:
        """The state ``act`` leads to from ``current``; IllegalTransitionError when not allowed,
        InputError when it needs a comment and has none."""
        if current not in act.sources:
            possible = [a.name for a in self.actions.values() if not a.system and current in a.sources]
            raise self.wording.illegal(act.name, current.value, sorted(s.value for s in act.sources), possible)
        if act.comment_required and not comment.strip():
            raise self.wording.comment_missing(act.name)
        return act.target

    def check(self, action: Action[S, R, P] | str, current: S, user: Subject[R] | None, comment: str = "") -> S:
        """All three checks in order — the action exists, ``user`` may take it, it leads somewhere
        from ``current`` — and the state it leads to."""
        act = self.action(action) if isinstance(action, str) else action
        self.check_actor(user, act)
        return self.check_transition(act, current, comment)

    def allowed(self, state: S, user: Subject[R] | None) -> list[Action[S, R, P]]:
        """The actions ``user`` could take from ``state``, in declaration order (buttons, CLI)."""
        return [a for a in self.actions.values() if not a.system and state in a.sources and self.may(user, a)]
