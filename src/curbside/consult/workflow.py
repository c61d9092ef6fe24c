"""The consult board's workflow, declared as data on the one workflow engine (:mod:`curbside.workflow`).

    submitted ──approve (editor)──▶ awaiting_reply ──reply (doctor)──▶ published
        └────────reject (editor)──▶ rejected          published ──reply──▶ published

Doctors are reviewers; editors moderate (and judge a held More Info, which needs ``approve``).
"""

from __future__ import annotations

from collections.abc import Sequence

from curbside import workflow as engine
from curbside.accounts.models import Role
from curbside.consult.models import ConsultState
from curbside.errors import IllegalTransitionError, PermissionDeniedError

C = ConsultState
Action = engine.Action[ConsultState, Role, str]
MODERATORS = frozenset({Role.EDITOR, Role.ADMIN})
DOCTORS = frozenset({Role.REVIEWER, Role.ADMIN})


class ConsultWording(engine.Wording):
    """The consult board's own refusals."""

    def unknown(self, name: str, actions: Sequence[str]) -> IllegalTransitionError:
        return IllegalTransitionError(f"Unknown consult action {name!r}; use one of {', '.join(actions)}.")

    def illegal(self, action: str, state: str, sources: Sequence[str], possible: Sequence[str]) -> IllegalTransitionError:
        return IllegalTransitionError(f"A consult that is {state} cannot be {action}d; only from: {', '.join(sources)}.",
                                      details={"state": state, "action": action})

    def denied(self, who: str, doing: str, roles: Sequence[str]) -> PermissionDeniedError:
        return PermissionDeniedError(f"{who} may not {doing} consults; roles: {', '.join(roles)}.",
                                     details={"action": doing})


WORKFLOW: engine.Workflow[ConsultState, Role, str] = engine.Workflow.of(
    (
        Action("approve", "Approve", frozenset({C.SUBMITTED}), C.AWAITING_REPLY, roles=MODERATORS),
        Action("reject", "Reject", frozenset({C.SUBMITTED, C.AWAITING_REPLY}), C.REJECTED, roles=MODERATORS),
        Action("reply", "Reply", frozenset({C.AWAITING_REPLY, C.PUBLISHED}), C.PUBLISHED, roles=DOCTORS),
    ),
    wording=ConsultWording(),
)
