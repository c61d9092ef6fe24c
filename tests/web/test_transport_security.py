"""Cookies, HSTS, caching and the API docs page (issue 9, defects 13 and 15).

Before the fixes: cookies were never Secure unless configured, even over HTTPS; no HSTS; signed-in
API responses could be cached; ``/api/docs`` loaded Swagger UI from a CDN without the site's CSP.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from curbside.accounts.models import User
from tests.web.conftest import PASSWORD, make_app, web_settings_for

LOGIN = {"username": "rivera", "password": PASSWORD}


def _login_cookie_header(client: TestClient, **headers: str) -> str:
    """Sign in from a fresh client (same app and base URL); the Set-Cookie header, lower case."""
    fresh = TestClient(client.app, base_url=str(client.base_url))
    response = fresh.post("/api/v1/login", json=LOGIN, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return response.headers["set-cookie"].lower()


def test_cookies_are_secure_over_https_and_behind_a_proxy_that_says_so(
        client: TestClient, accounts: dict[str, User]) -> None:
    plain = _login_cookie_header(client)
    assert "secure" not in plain and "httponly" in plain
    assert "strict-transport-security" not in client.get("/").headers
    proxied = _login_cookie_header(client, **{"X-Forwarded-Proto": "https"})
    assert "; secure" in proxied and "httponly" in proxied and "samesite=lax" in proxied
    hsts = client.get("/", headers={"X-Forwarded-Proto": "https"}).headers
    assert hsts["strict-transport-security"].startswith("max-age=31536000")
    https = TestClient(client.app, base_url="https://testserver")
    assert "; secure" in _login_cookie_header(https)


def test_secure_cookies_always_and_never(web_data: object, accounts: dict[str, User]) -> None:
    from pathlib import Path

    assert isinstance(web_data, Path)
    with TestClient(make_app(web_settings_for(web_data, secure_cookies="always"))) as client:
        assert "; secure" in _login_cookie_header(client)
    with TestClient(make_app(web_settings_for(web_data, secure_cookies="never")),
                    base_url="https://testserver") as client:
        assert "secure" not in _login_cookie_header(client).replace("strict-transport", "")


def test_signed_in_api_responses_are_not_stored(
        client: TestClient, accounts: dict[str, User]) -> None:
    anonymous = client.get("/api/v1/articles/recent")
    assert "no-store" not in anonymous.headers.get("cache-control", "")
    client.post("/api/v1/login", json=LOGIN)
    for path in ("/api/v1/me", "/api/v1/review/queue", "/api/v1/articles/recent"):
        assert client.get(path).headers["cache-control"] == "no-store", path


def test_no_cdn_swagger_page_and_the_schema_stays(client: TestClient) -> None:
    assert client.get("/api/docs").status_code == 404
    schema = client.get("/openapi.json")
    assert schema.status_code == 200 and schema.json()["paths"]
    home = client.get("/").text
    assert "cdn.jsdelivr.net" not in home and 'href="/openapi.json"' in home
