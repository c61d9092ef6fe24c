"""CSRF on every form, the rate limit on asking, sessions, safe redirects and links."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from curbside.accounts.models import User
from curbside.db import get_engine
from curbside.ratelimit import DatabaseRateLimiter, rate_limits
from curbside.settings import Settings
from curbside.web.dependencies import Services
from curbside.web.routers.pages.forms import safe_next
from curbside.web.templating import safe_url
from tests.web.conftest import api_login, assert_error_shape, csrf_from, make_app, web_settings_for

QUESTION = "What are gallstones?"


def test_form_posts_without_the_csrf_token_are_refused(client: TestClient) -> None:
    for path, data in (
        ("/ask", {"question": QUESTION}),
        ("/ask/stream", {"question": QUESTION}),
        ("/login", {"username": "a", "password": "b"}),
        ("/logout", {}),
    ):
        response = client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403, path
        assert_error_shape(response.json(), 403, "csrf_failed")
    csrf_from(client.get("/").text)  # the session now has a token: a wrong one fails too
    wrong = client.post("/ask", data={"question": QUESTION, "csrf_token": "forged"})
    assert_error_shape(wrong.json(), 403, "csrf_failed")
    page = client.post("/ask", data={"question": QUESTION}, headers={"accept": "text/html"})
    assert page.status_code == 403 and "did not come from this site" in page.text


def test_signed_in_api_changes_need_the_csrf_header(
    client: TestClient, accounts: dict[str, User]
) -> None:
    token = api_login(client, "rivera")
    del client.headers["X-CSRF-Token"]
    refused = client.post("/api/v1/logout")
    assert_error_shape(refused.json(), 403, "csrf_failed")
    assert client.get("/api/v1/me").json()["user"]["username"] == "rivera"  # reading needs none
    wrong = client.post("/api/v1/logout", headers={"X-CSRF-Token": token + "x"})
    assert wrong.status_code == 403
    assert client.post("/api/v1/logout", headers={"X-CSRF-Token": token}).status_code == 204


def test_csrf_token_belongs_to_one_session(client: TestClient) -> None:
    token = csrf_from(client.get("/").text)
    with TestClient(client.app) as other:
        response = other.post("/ask", data={"question": QUESTION, "csrf_token": token})
    assert response.status_code == 403


def test_asking_is_rate_limited_per_client(web_data: Path) -> None:
    settings = web_settings_for(web_data, ask_rate_per_minute=2)
    with TestClient(make_app(settings)) as client:
        for _ in range(2):
            assert client.post("/api/v1/ask", json={"question": QUESTION}).status_code == 200
        limited = client.post("/api/v1/ask", json={"question": QUESTION})
        assert limited.status_code == 429
        assert_error_shape(limited.json(), 429, "rate_limited")
        assert limited.json()["error"]["retryable"] is True
        assert limited.json()["error"]["details"]["limit_per_minute"] == 2
        assert int(limited.headers["retry-after"]) >= 1
        token = csrf_from(client.get("/").text)
        form = client.post("/ask", data={"question": QUESTION, "csrf_token": token})
        assert form.status_code == 429  # the form shares the allowance
        assert client.get("/").status_code == 200  # reading is not limited
        slug = client.get("/api/v1/articles", params={"q": "gallstones"}).json()[0]["slug"]
        assert (
            client.get(f"/api/v1/articles/{slug}", params={"audience": "clinician"}).status_code
            == 200
        )
        variant = client.post(f"/api/v1/articles/{slug}/variants", json={"audience": "patient"})
        assert_error_shape(variant.json(), 429, "rate_limited")  # a new variant would generate


def test_the_app_makes_each_rate_limiter_once_counted_in_the_database(
    web_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One limiter abstraction (curbside.ratelimit): the app factory composes the ask and sign-in
    limiters once each, counted in the database (shared by every worker), and start-up does not
    replace them."""
    assigned: list[str] = []
    set_field = Services.__setattr__

    def recording(self: Services, name: str, value: object) -> None:
        if name.endswith("_limiter"):
            assigned.append(name)
        set_field(self, name, value)

    monkeypatch.setattr(Services, "__setattr__", recording)
    with TestClient(make_app(web_settings)) as client:
        services = client.app.state.services  # type: ignore[attr-defined]
        assert sorted(assigned) == ["ask_limiter", "login_limiter"]
        ask, login = services.ask_limiter, services.login_limiter
        assert isinstance(ask, DatabaseRateLimiter) and isinstance(login, DatabaseRateLimiter)
        assert (ask.scope, ask.per_minute, ask.what) == (
            "ask", web_settings.web.ask_rate_per_minute, "questions")
        assert (login.scope, login.per_minute, login.what) == (
            "login", web_settings.accounts.sign_in_attempts_per_minute, "sign-in attempts")
        wrong = client.post("/api/v1/login", json={"username": "nobody", "password": "wrong password"})
        assert wrong.status_code == 401
        with get_engine(web_settings.resolved_database_url).connect() as conn:
            counted = conn.execute(select(rate_limits.c.key, rate_limits.c.count)).all()
        assert [tuple(row) for row in counted] == [("login:addr:testclient", 1)]


def test_session_cookie_is_signed_httponly_and_lax(client: TestClient) -> None:
    response = client.get("/")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("curbside_session=") and "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    forged = TestClient(client.app, cookies={"curbside_session": "eyJ1c2VyX2lkIjogMX0="})
    assert forged.get("/api/v1/me").json()["user"] is None


def test_redirect_targets_and_links_stay_safe() -> None:
    assert safe_next("/review/x?audience=patient") == "/review/x?audience=patient"
    for bad in ("https://evil.example", "//evil.example", "/\\evil.example", "", None):
        assert safe_next(bad) == "/"
    assert safe_url("javascript:alert(1)") == ""
    assert safe_url(" https://www.niddk.nih.gov/x ") == "https://www.niddk.nih.gov/x"
    assert safe_url("/a/gallstones") == "/a/gallstones"
    assert safe_url("//evil.example/x") == ""


def test_secret_key_is_kept_in_the_data_dir(web_data: Path) -> None:
    from curbside.web.security import session_secret

    settings = web_settings_for(web_data, secret_key="")
    first = session_secret(settings)
    assert len(first) > 40 and session_secret(settings) == first
    assert (web_data / "web_secret_key").stat().st_mode & 0o077 == 0
