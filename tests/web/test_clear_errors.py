"""Clear 4xx errors, never a 500 (issue 9, defects 9, 10 and 11).

Before the fixes: integers beyond 64 bits in a path or query were a 500 (OverflowError in the
database driver); ``thread_id: ""`` was a 400 "too many simultaneous writers"; rejected requests
counted against the ask rate limit; ``audience=both`` was in the schema but refused; a blank
question on ``/api/v1/ask/stream`` answered 200 with the error inside the stream; ``HEAD /`` was
a 405.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from curbside.accounts.models import User
from tests.web.conftest import api_login, assert_error_shape, make_app, web_settings_for
from tests.web.test_api import QUESTION, ask

HUGE = "9223372036854775808"  # 2**63


def test_integers_beyond_64_bits_are_422_not_500(
        client: TestClient, accounts: dict[str, User]) -> None:
    slug = ask(client)["slug"]
    api_login(client, "rivera")
    checks = [
        client.get(f"/api/v1/articles/{slug}/diff", params={"old": HUGE, "new": "1"}),
        client.get(f"/api/v1/articles/{slug}/diff", params={"old": "1", "new": "-" + HUGE + "0"}),
        client.post(f"/api/v1/articles/{slug}/versions/{HUGE}/transitions",
                    json={"action": "start_review", "lock_version": 1}),
        client.post(f"/api/v1/articles/{slug}/versions/1/transitions",
                    json={"action": "start_review", "lock_version": int(HUGE)}),
        client.get(f"/review/{slug}", params={"old": HUGE, "new": "1"}),
    ]
    for response in checks:
        assert response.status_code == 422, (response.request.url, response.text)
    assert_error_shape(checks[0].json(), 422, "validation_error")


def test_an_empty_thread_id_is_a_clear_422(client: TestClient) -> None:
    response = client.post("/api/v1/ask", json={"question": QUESTION, "thread_id": ""})
    assert response.status_code == 422
    assert "thread_id" in response.json()["error"]["message"]
    unknown = client.post("/api/v1/ask", json={"question": "Is it inherited?", "thread_id": "nosuch"})
    assert unknown.status_code == 404 and "No thread" in unknown.json()["error"]["message"]


def test_rejected_requests_do_not_count_against_the_ask_limit(web_data: Path) -> None:
    settings = web_settings_for(web_data, ask_rate_per_minute=1)
    with TestClient(make_app(settings)) as client:
        for bad in ({"question": "  "}, {"question": QUESTION, "audience": "nobody"},
                    {"question": QUESTION, "thread_id": ""}, {}):
            for path in ("/api/v1/ask", "/api/v1/ask/stream"):
                assert client.post(path, json=bad).status_code == 422, (path, bad)
        assert client.post("/api/v1/ask", json={"question": QUESTION}).status_code == 200
        assert client.post("/api/v1/ask", json={"question": QUESTION}).status_code == 429


def test_the_schema_offers_only_audiences_that_are_accepted(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    ask_schema = schema["components"]["schemas"]["AskRequest"]["properties"]["audience"]
    target = schema["components"]["schemas"][ask_schema["$ref"].rsplit("/", 1)[-1]]
    assert target["enum"] == ["clinician", "patient"]
    both = client.post("/api/v1/ask", json={"question": QUESTION, "audience": "both"})
    assert both.status_code == 422


@pytest.mark.parametrize("question", ["", "   ", "\n\t ", "a  "])
def test_a_blank_question_on_the_stream_is_422_before_streaming(
        client: TestClient, question: str) -> None:
    response = client.post("/api/v1/ask/stream", json={"question": question})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/json")
    assert_error_shape(response.json(), 422, "validation_error")


def test_head_on_the_home_page(client: TestClient) -> None:
    response = client.head("/")
    assert response.status_code == 200 and response.content == b""


def test_rejected_forms_do_not_count_against_the_ask_limit(web_data: Path) -> None:
    from tests.web.conftest import csrf_from

    settings = web_settings_for(web_data, ask_rate_per_minute=1)
    with TestClient(make_app(settings)) as client:
        token = csrf_from(client.get("/").text)
        for path in ("/ask", "/ask/stream"):
            blank = client.post(path, data={"question": "  ", "csrf_token": token})
            assert blank.status_code == 400, path
        asked = client.post("/ask", data={"question": QUESTION, "csrf_token": token},
                            follow_redirects=False)
        assert asked.status_code == 303
        again = client.post("/ask", data={"question": QUESTION, "csrf_token": token})
        assert again.status_code == 429
