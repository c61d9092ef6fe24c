"""The authorization matrix: every role × every state-changing endpoint, API and pages.

Roles: anonymous, reader, reviewer, editor, admin. For each workflow action the version is first
brought into a state the action is allowed from, so the role is the only thing that decides; the
test then checks both the answer (401/403/200) and that the state changed exactly when the
workflow's permission matrix (``articles/workflow.py``) says the role may act.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from curbside.accounts.models import Role, User
from curbside.accounts.users import UserService
from curbside.articles import workflow
from curbside.articles.models import ReviewState
from curbside.articles.service import ArticleService
from curbside.articles.store import Actor
from curbside.settings import Settings
from tests.articles.factories import SYSTEM, placeholder
from tests.web.conftest import PASSWORD, csrf_from

S = ReviewState
QUESTION = "What are gallstones?"
ROLES: list[Role | None] = [None, Role.READER, Role.REVIEWER, Role.EDITOR, Role.ADMIN]
USERNAMES = {Role.READER: "lee", Role.REVIEWER: "rivera", Role.EDITOR: "okafor", Role.ADMIN: "root"}
#: Workflow steps (by a separate setup reviewer) that bring a new version to a state ``action``
#: is allowed from.
SETUP: dict[str, list[str]] = {
    "start_review": [],
    "approve": ["start_review"],
    "request_changes": ["start_review"],
    "reject": [],
    "resubmit": ["start_review", "request_changes"],
    "retract": ["start_review", "approve"],
}


def _may(role: Role | None, action: str) -> bool:
    permission = workflow.ACTIONS[action].permission
    assert permission is not None
    return (role or Role.READER) in workflow.PERMISSIONS[permission]


@pytest.fixture
def world(app: Any, accounts: dict[str, User], web_settings: Settings) -> Iterator[dict[str, Any]]:
    users = UserService(web_settings)
    users.add("root", PASSWORD, role=Role.ADMIN, display_name="Site Admin")
    setup = users.add("setup", PASSWORD, role=Role.REVIEWER, display_name="Setup Reviewer")
    clients: dict[Role | None, TestClient] = {}
    with TestClient(app) as anonymous:
        clients[None] = anonymous
        slug = anonymous.post("/api/v1/ask", json={"question": QUESTION}).json()["slug"]
        for role, name in USERNAMES.items():
            client = TestClient(app)
            response = client.post("/api/v1/login", json={"username": name, "password": PASSWORD})
            assert response.status_code == 200, response.text
            client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
            clients[role] = client
        service: ArticleService = app.state.services.articles
        yield {"clients": clients, "slug": slug, "service": service, "setup": Actor.of(setup)}


def _version_for(world: dict[str, Any], action: str) -> tuple[int, int]:
    """A new version of the article, in a state ``action`` may start from: (id, lock_version)."""
    service: ArticleService = world["service"]
    row = service.store.article(world["slug"])
    version = service.store.add_version(row.id, placeholder("matrix"), SYSTEM, supersede_drafts=True)
    for step in SETUP[action]:
        version = service.store.transition(row.id, version.id, workflow.ACTIONS[step], world["setup"],
                                           "setup", version.lock_version)
    return version.id, version.lock_version


def _state(world: dict[str, Any], version_id: int) -> S:
    return world["service"].store.version(version_id)[1].state  # type: ignore[no-any-return]


def test_workflow_actions_through_the_api(world: dict[str, Any]) -> None:
    wrong = []
    for action in workflow.USER_ACTIONS:
        for role in ROLES:
            version_id, lock = _version_for(world, action)
            before = _state(world, version_id)
            response = world["clients"][role].post(
                f"/api/v1/articles/{world['slug']}/versions/{version_id}/transitions",
                json={"action": action, "lock_version": lock, "comment": "Matrix test."})
            allowed = _may(role, action)
            expected = 200 if allowed else (401 if role is None else 403)
            changed = _state(world, version_id) != before
            if response.status_code != expected or changed != allowed:
                wrong.append((action, role, response.status_code, expected, changed))
    assert wrong == []


def test_workflow_actions_through_the_review_pages(world: dict[str, Any]) -> None:
    token = {role: csrf_from(client.get("/login").text) for role, client in world["clients"].items()}
    wrong = []
    for action in workflow.USER_ACTIONS:
        for role in ROLES:
            version_id, lock = _version_for(world, action)
            before = _state(world, version_id)
            response = world["clients"][role].post(
                f"/review/{world['slug']}/versions/{version_id}", follow_redirects=False,
                data={"action": action, "lock_version": str(lock), "comment": "Matrix test.",
                      "csrf_token": token[role]})
            allowed = _may(role, action)
            changed = _state(world, version_id) != before
            expected = {None: 401, Role.READER: 403}.get(role, 303)  # allowed or not: back to the page
            if response.status_code != expected or changed != allowed:
                wrong.append((action, role, response.status_code, expected, changed))
    assert wrong == []


def test_regenerate_asking_variants_and_sessions(world: dict[str, Any]) -> None:
    slug, clients = world["slug"], world["clients"]
    may_edit = workflow.PERMISSIONS[workflow.Permission.EDIT]
    for role in ROLES:
        client = clients[role]
        regenerated = client.post(f"/api/v1/articles/{slug}/regenerate")
        expected = 200 if role in may_edit else (401 if role is None else 403)
        assert regenerated.status_code == expected, (role, regenerated.text)
        page_token = csrf_from(client.get("/login").text)
        page = client.post(f"/review/{slug}/regenerate", data={"csrf_token": page_token},
                           follow_redirects=False)
        assert page.status_code == {None: 401, Role.READER: 403}.get(role, 303), role
        # everyone may ask and request a variant (reading alone never writes)
        assert client.post("/api/v1/ask", json={"question": QUESTION}).status_code == 200
        stream = client.post("/api/v1/ask/stream", json={"question": QUESTION})
        assert stream.status_code == 200 and "event: done" in stream.text
        assert client.post(f"/api/v1/articles/{slug}/variants",
                           json={"audience": "patient"}).status_code == 200
        form = client.post(f"/a/{slug}/variant", data={"audience": "patient", "csrf_token": page_token},
                           follow_redirects=False)
        assert form.status_code == 303, role
        form_ask = client.post("/ask", data={"question": QUESTION, "csrf_token": page_token},
                               follow_redirects=False)
        assert form_ask.status_code == 303, role
    versions = world["service"].versions(slug)
    by = {v.provenance.requested_by for v in versions if v.provenance and v.provenance.reason == "regenerate"}
    assert by == {"okafor", "root"}  # editor and admin, twice each (API and page)
    for role in ROLES:  # signing out works for everyone and ends the session
        client = clients[role]
        assert client.post("/api/v1/logout").status_code == 204
        assert client.get("/api/v1/me").json()["user"] is None
