"""The one review-workflow engine (``curbside/workflow.py``): its checks, on a toy workflow, and that
it is the only one — the article review and the consult board declare theirs with it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pytest

import curbside
from curbside.errors import IllegalTransitionError, InputError, PermissionDeniedError
from curbside.workflow import Action, Workflow

PACKAGE = Path(curbside.__file__).parent
ENGINE = PACKAGE / "workflow.py"


class Door(StrEnum):
    SHUT = "shut"
    OPEN = "open"
    LOCKED = "locked"
    GONE = "gone"


class Who(StrEnum):
    GUEST = "guest"
    KEEPER = "keeper"
    BOSS = "boss"


class Can(StrEnum):
    LOCK = "lock"


@dataclass
class Person:
    username: str
    role: Who


Act = Action[Door, Who, Can]
DOORS: Workflow[Door, Who, Can] = Workflow.of(
    (
        Act("open", "Open", frozenset({Door.SHUT}), Door.OPEN, roles=frozenset({Who.GUEST, Who.KEEPER})),
        Act("close", "Close", frozenset({Door.OPEN}), Door.SHUT, roles=frozenset({Who.KEEPER})),
        Act("lock", "Lock", frozenset({Door.SHUT}), Door.LOCKED, permission=Can.LOCK, comment_required=True),
        Act("demolish", "Demolish", frozenset({Door.SHUT, Door.OPEN, Door.LOCKED}), Door.GONE, system=True),
    ),
    permissions={Can.LOCK: frozenset({Who.KEEPER, Who.BOSS})},
    anonymous=Who.GUEST,
)
KEEPER = Person("kim", Who.KEEPER)
BOSS = Person("bo", Who.BOSS)


def test_a_legal_action_leads_to_its_target() -> None:
    assert DOORS.check("open", Door.SHUT, None) == Door.OPEN
    assert DOORS.check("close", Door.OPEN, KEEPER) == Door.SHUT
    assert DOORS.check("lock", Door.SHUT, BOSS, "night") == Door.LOCKED


def test_an_illegal_transition_names_what_may_be_done() -> None:
    with pytest.raises(IllegalTransitionError, match=r"Cannot close a version that is shut \(from shut you may: open, lock\)") as info:
        DOORS.check("close", Door.SHUT, KEEPER)
    assert info.value.status == 409 and info.value.details["allowed_actions"] == ["open", "lock"]
    with pytest.raises(IllegalTransitionError, match=r"locked is final"):
        DOORS.check("open", Door.LOCKED, KEEPER)
    with pytest.raises(IllegalTransitionError, match="Unknown review action 'fly'; use one of: open, close, lock"):
        DOORS.check("fly", Door.SHUT, KEEPER)


def test_the_wrong_role_is_refused() -> None:
    with pytest.raises(PermissionDeniedError, match=r"'bo' \(boss\) may not close; that needs one of the roles: keeper"):
        DOORS.check("close", Door.OPEN, BOSS)
    with pytest.raises(PermissionDeniedError, match="an anonymous guest may not lock; that needs one of the roles: boss, keeper") as info:
        DOORS.check("lock", Door.SHUT, None, "night")
    assert info.value.status == 403 and info.value.details == {"permission": "lock", "roles": ["boss", "keeper"]}
    assert DOORS.holds(KEEPER, Can.LOCK) and not DOORS.holds(None, Can.LOCK)


def test_a_comment_is_required_where_declared() -> None:
    with pytest.raises(InputError, match="'lock' needs a comment that says why"):
        DOORS.check("lock", Door.SHUT, KEEPER, "   ")


def test_a_system_action_is_nobody_s() -> None:
    with pytest.raises(IllegalTransitionError):
        DOORS.action("demolish")  # a person cannot even name it
    demolish = DOORS.actions["demolish"]
    with pytest.raises(PermissionDeniedError, match="'demolish' is done by the system only"):
        DOORS.check(demolish, Door.OPEN, BOSS)
    assert DOORS.check_transition(demolish, Door.OPEN) == Door.GONE  # the system's own path
    assert DOORS.user_actions == ("open", "close", "lock")
    assert DOORS.terminal_states(Door) == {Door.GONE}


def test_allowed_lists_the_actions_of_a_state_and_a_role_in_order() -> None:
    assert [a.name for a in DOORS.allowed(Door.SHUT, KEEPER)] == ["open", "lock"]
    assert [a.name for a in DOORS.allowed(Door.SHUT, None)] == ["open"]
    assert [a.name for a in DOORS.allowed(Door.SHUT, BOSS)] == ["lock"]
    assert DOORS.allowed(Door.GONE, BOSS) == []
    assert DOORS.label("lock") == "Lock" and DOORS.label("fly") == "fly"


def test_a_workflow_without_anonymous_visitors_wants_a_user() -> None:
    signed_in = Workflow.of(DOORS.actions.values(), permissions=DOORS.permissions)
    with pytest.raises(PermissionDeniedError, match="Sign in"):
        signed_in.check("open", Door.SHUT, None)


def test_declarations_are_checked() -> None:
    with pytest.raises(ValueError, match="roles or a permission"):
        Act("x", "X", frozenset({Door.SHUT}), Door.OPEN)  # nobody may, yet not the system's
    with pytest.raises(ValueError, match="Two actions"):
        Workflow.of((DOORS.actions["open"], DOORS.actions["open"]))
    with pytest.raises(ValueError, match="matrix lacks"):
        Workflow.of((DOORS.actions["lock"],))


# --- one engine -----------------------------------------------------------------------------------


def _sources() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))}


def test_only_the_engine_checks_transitions() -> None:
    """No module but ``curbside/workflow.py`` raises IllegalTransitionError or defines a check of
    transitions or actors; no module keeps a TRANSITIONS table."""
    found: list[str] = []
    for path, tree in _sources().items():
        if path in (ENGINE, PACKAGE / "errors.py"):
            continue
        where = path.relative_to(PACKAGE)
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and node.exc is not None and "IllegalTransitionError" in ast.unparse(node.exc):
                found.append(f"{where}:{node.lineno} raises IllegalTransitionError")
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.lstrip("_") in (
                    "check_transition", "check_actor"):
                found.append(f"{where}:{node.lineno} defines {node.name}")
            if isinstance(node, ast.Name) and "TRANSITIONS" in node.id:
                found.append(f"{where}:{node.lineno} names {node.id}")
    assert found == []


def test_the_article_and_consult_workflows_are_declared_with_the_engine() -> None:
    from curbside.articles.workflow import WORKFLOW as REVIEW
    from curbside.consult.workflow import WORKFLOW as CONSULT

    assert isinstance(REVIEW, Workflow) and isinstance(CONSULT, Workflow)
    declaring = sorted(str(path.relative_to(PACKAGE)) for path, tree in _sources().items() if path != ENGINE
                       and any(isinstance(n, ast.Attribute | ast.Name) and ast.unparse(n).endswith("Workflow.of")
                               for n in ast.walk(tree)))
    assert declaring == ["articles/workflow.py", "consult/workflow.py"]


def test_callers_ask_the_workflow_instead_of_indexing_its_table() -> None:
    """Outside the two declarations, nothing subscripts an ACTIONS table (tests may)."""
    found = [f"{path.relative_to(PACKAGE)}:{node.lineno}" for path, tree in _sources().items()
             for node in ast.walk(tree)
             if isinstance(node, ast.Subscript) and ast.unparse(node.value).split(".")[-1] in ("ACTIONS", "actions")]
    assert found == []


def test_the_api_schemas_offer_exactly_the_workflows_actions() -> None:
    """The JSON API spells the actions out as Literals (for its OpenAPI schema): they must be the
    workflows' own, so that no action is offered the engine does not know, nor one left out."""
    from typing import get_args, get_type_hints

    from curbside.articles.workflow import WORKFLOW as REVIEW
    from curbside.consult.workflow import WORKFLOW as CONSULT
    from curbside.web.routers.api import consults, schemas

    assert set(get_args(schemas.Action)) == set(REVIEW.user_actions)
    moderation = get_args(get_type_hints(consults.ModerationRequest)["action"])
    assert set(moderation) == {a.name for a in CONSULT.actions.values() if a.roles == CONSULT.actions["approve"].roles}
