"""Server-side sessions (issue 9, defect 2): sign-out, a password change and timeouts end them.

Before the fix the cookie was the whole session: one captured before ``POST /api/v1/logout``
kept working on ``/api/v1/me`` and the review queue for 14 days.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from curbside.accounts.models import Role, User
from curbside.accounts.sessions import SessionStore
from curbside.accounts.tables import sessions
from curbside.accounts.users import UserService
from curbside.db import get_engine
from curbside.settings import Settings, WebSettings
from tests.web.conftest import api_login


def _cookie(client: TestClient) -> str:
    value = client.cookies.get("curbside_session")
    assert value
    return value


def _replay(client: TestClient, cookie: str) -> TestClient:
    """Another client presenting a captured cookie."""
    return TestClient(client.app, cookies={"curbside_session": cookie})


def _alive(client: TestClient, cookie: str) -> bool:
    me = _replay(client, cookie).get("/api/v1/me").json()
    return me["user"] is not None


def test_a_cookie_captured_before_logout_stops_working(
        client: TestClient, accounts: dict[str, User]) -> None:
    api_login(client, "rivera")
    captured = _cookie(client)
    assert _alive(client, captured)
    assert _replay(client, captured).get("/api/v1/review/queue").status_code == 200
    assert client.post("/api/v1/logout").status_code == 204
    thief = _replay(client, captured)
    assert thief.get("/api/v1/me").json() == {"user": None, "role": None}
    assert thief.get("/api/v1/review/queue").status_code == 401


def test_sign_in_rotates_the_session(client: TestClient, accounts: dict[str, User]) -> None:
    api_login(client, "rivera")
    first = _cookie(client)
    api_login(client, "rivera")
    second = _cookie(client)
    assert first != second and not _alive(client, first) and _alive(client, second)


def test_a_password_change_ends_every_session(
        client: TestClient, accounts: dict[str, User], web_settings: Settings) -> None:
    api_login(client, "rivera")
    captured = _cookie(client)
    UserService(web_settings).set_password("rivera", "a brand new passphrase")
    assert not _alive(client, captured)


def test_a_role_change_rotates_the_session(
        client: TestClient, accounts: dict[str, User], web_settings: Settings) -> None:
    api_login(client, "rivera")
    before = _cookie(client)
    UserService(web_settings).set_role("rivera", Role.EDITOR)
    assert client.get("/api/v1/me").json()["role"] == "editor"
    after = _cookie(client)
    assert after != before and not _alive(client, before) and _alive(client, after)


def test_idle_and_absolute_timeouts(web_settings: Settings, accounts: dict[str, User]) -> None:
    engine = get_engine(web_settings.resolved_database_url)
    store = SessionStore(engine, WebSettings(session_idle_minutes=30, session_max_hours=8))
    user = accounts["reviewer"].id
    now = datetime.now(UTC)
    idle = store.start(user, "reviewer")
    assert store.check(idle, now=now + timedelta(minutes=29)) is not None
    assert store.check(idle, now=now + timedelta(minutes=29 + 31)) is None  # idle 31 minutes
    busy = store.start(user, "reviewer")
    for minutes in range(20, 8 * 60, 20):  # a request every 20 minutes …
        assert store.check(busy, now=now + timedelta(minutes=minutes)) is not None
    assert store.check(busy, now=now + timedelta(hours=8, minutes=5)) is None  # … still ends
    with engine.connect() as conn:  # ended sessions are deleted, and the table holds no token
        assert conn.execute(select(func.count()).select_from(sessions)).scalar_one() == 0
    token = store.start(user, "reviewer")
    with engine.connect() as conn:
        stored = conn.execute(select(sessions.c.id_hash)).scalar_one()
    assert token not in stored and len(stored) == 64
