"""The JSON API in-process: ask, read, search, the review workflow, permissions, error shape."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from curbside.accounts.models import User
from tests.web.conftest import api_login, assert_error_shape

QUESTION = "What are gallstones?"


def ask(client: TestClient, question: str = QUESTION, **extra: Any) -> dict[str, Any]:
    response = client.post("/api/v1/ask", json={"question": question, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_ask_returns_the_article_with_cited_evidence(client: TestClient) -> None:
    article = ask(client)
    assert article["question"] == QUESTION
    assert article["url"] == f"/a/{article['slug']}"
    assert article["audience"] == "clinician"
    assert article["pending_review"] is True
    assert article["review_state"] == "submitted"
    answer = article["version"]["answer"]
    assert answer["title"] and answer["disclaimer"]
    assert answer["references"], "the article cites evidence"
    for ref in answer["references"]:
        assert ref["type"] and ref["title"] and ref["passages"]
    cited = {n for s in answer["sections"] for item in s["items"] for n in item["citations"]}
    assert cited <= {r["number"] for r in answer["references"]}
    assert article["latest"]["state"] == "submitted"
    assert isinstance(article["latest"]["lock_version"], int)
    assert article["version"]["evidence"], "the version keeps its evidence snapshot"

    again = client.get(f"/api/v1/articles/{article['slug']}").json()
    assert again["slug"] == article["slug"] and again["version"]["id"] == article["version"]["id"]


def test_near_duplicate_question_returns_the_same_article(client: TestClient) -> None:
    first = ask(client)
    second = ask(client, "what are gallstones")
    assert second["slug"] == first["slug"]


def test_audience_variant_is_generated_on_request(client: TestClient) -> None:
    article = ask(client)
    url = f"/api/v1/articles/{article['slug']}"
    missing = client.get(url, params={"audience": "patient"})
    assert missing.status_code == 404 and "/variants" in missing.json()["error"]["message"]
    patient = client.post(url + "/variants", json={"audience": "patient"})
    assert patient.status_code == 200
    again = client.get(url, params={"audience": "patient"}).json()
    assert again["version"]["id"] == patient.json()["version"]["id"]
    body = patient.json()
    assert body["audience"] == "patient"
    assert body["version"]["audience"] == "patient"
    assert body["version"]["id"] != article["version"]["id"]


def test_search_finds_articles_and_lists_only_approved_ones(
    client: TestClient, accounts: dict[str, User]
) -> None:
    article = ask(client)
    found = client.get("/api/v1/articles", params={"q": "gallstones"}).json()
    assert [a["slug"] for a in found] == [article["slug"]]
    assert client.get("/api/v1/articles/recent").json() == []
    assert client.get("/api/v1/articles/popular").json() == []

    api_login(client, "rivera")
    version_id = article["latest"]["id"]
    lock = article["latest"]["lock_version"]
    for action in ("start_review", "approve"):
        response = client.post(
            f"/api/v1/articles/{article['slug']}/versions/{version_id}/transitions",
            json={"action": action, "lock_version": lock},
        )
        assert response.status_code == 200, response.text
        lock = response.json()["lock_version"]
    recent = client.get("/api/v1/articles/recent").json()
    assert [a["slug"] for a in recent] == [article["slug"]]
    assert recent[0]["pending_review"] is False and recent[0]["review_state"] == "approved"


def _transition(
    client: TestClient, slug: str, version_id: int, action: str, lock: int, comment: str = ""
) -> Any:
    return client.post(
        f"/api/v1/articles/{slug}/versions/{version_id}/transitions",
        json={"action": action, "lock_version": lock, "comment": comment},
    )


def test_review_workflow_through_the_api(client: TestClient, accounts: dict[str, User]) -> None:
    article = ask(client)
    slug, version_id = article["slug"], article["latest"]["id"]
    lock = article["latest"]["lock_version"]

    api_login(client, "rivera")
    queue = client.get("/api/v1/review/queue").json()
    assert [a["slug"] for a in queue] == [slug]

    started = _transition(client, slug, version_id, "start_review", lock)
    assert started.status_code == 200 and started.json()["state"] == "under_review"
    stale = _transition(client, slug, version_id, "approve", lock)  # the lock we read before
    assert stale.status_code == 409
    assert_error_shape(stale.json(), 409, "conflict")

    lock = started.json()["lock_version"]
    changes = _transition(client, slug, version_id, "request_changes", lock, "Cite the NIDDK page.")
    assert changes.status_code == 200 and changes.json()["state"] == "changes_requested"
    illegal = _transition(client, slug, version_id, "approve", changes.json()["lock_version"])
    assert illegal.status_code == 409
    assert illegal.json()["error"]["code"] == "illegal_transition"

    api_login(client, "okafor")  # an editor resubmits
    resubmitted = _transition(client, slug, version_id, "resubmit", changes.json()["lock_version"])
    assert resubmitted.status_code == 200 and resubmitted.json()["state"] == "submitted"

    api_login(client, "rivera")
    lock = resubmitted.json()["lock_version"]
    lock = _transition(client, slug, version_id, "start_review", lock).json()["lock_version"]
    approved = _transition(client, slug, version_id, "approve", lock, "Accurate.")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"

    article = client.get(f"/api/v1/articles/{slug}").json()
    assert article["pending_review"] is False and article["review_state"] == "approved"

    history = client.get(f"/api/v1/articles/{slug}/history").json()
    moves = [(e["from_state"], e["to_state"]) for e in history]
    assert moves[-1] == ("under_review", "approved")
    assert ("under_review", "changes_requested") in moves
    requested = next(e for e in history if e["to_state"] == "changes_requested")
    assert requested["actor"] and requested["comment"] == "Cite the NIDDK page."
    assert requested["actor_credentials"] == "MD"


def test_diff_versions_and_export(client: TestClient, accounts: dict[str, User]) -> None:
    article = ask(client)
    slug = article["slug"]
    api_login(client, "okafor")
    new = client.post(f"/api/v1/articles/{slug}/regenerate")
    assert new.status_code == 200 and new.json()["state"] == "submitted"
    versions = client.get(f"/api/v1/articles/{slug}/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    diff = client.get(
        f"/api/v1/articles/{slug}/diff", params={"old": versions[0]["id"], "new": versions[1]["id"]}
    )
    assert diff.status_code == 200 and isinstance(diff.json()["diff"], str)

    markdown = client.get(f"/api/v1/articles/{slug}/export", params={"format": "markdown"})
    assert markdown.status_code == 200
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "attachment" in markdown.headers["content-disposition"]
    assert QUESTION in markdown.text
    exported = client.get(f"/api/v1/articles/{slug}/export", params={"format": "json"})
    assert exported.json()["slug"] == slug
    bad = client.get(f"/api/v1/articles/{slug}/export", params={"format": "pdf"})
    assert_error_shape(bad.json(), 422, "validation_error")  # the schema lists the formats
    assert "markdown" in bad.json()["error"]["message"]


def test_a_reader_may_not_review(client: TestClient, accounts: dict[str, User]) -> None:
    article = ask(client)
    slug, version_id = article["slug"], article["latest"]["id"]
    anonymous = _transition(
        client, slug, version_id, "start_review", article["latest"]["lock_version"]
    )
    assert_error_shape(anonymous.json(), 401, "unauthenticated")
    api_login(client, "lee")
    for response in (
        _transition(client, slug, version_id, "approve", article["latest"]["lock_version"]),
        client.get("/api/v1/review/queue"),
        client.get(f"/api/v1/articles/{slug}/history"),
    ):
        assert response.status_code == 403
        assert_error_shape(response.json(), 403, "forbidden")
    me = client.get("/api/v1/me").json()
    assert me["user"]["username"] == "lee" and me["role"] == "reader"


def test_login_failure_and_logout(client: TestClient, accounts: dict[str, User]) -> None:
    wrong = client.post(
        "/api/v1/login", json={"username": "rivera", "password": "not the password"}
    )
    assert_error_shape(wrong.json(), 401, "unauthenticated")
    api_login(client, "rivera")
    assert client.get("/api/v1/me").json()["user"]["username"] == "rivera"
    assert client.post("/api/v1/logout").status_code == 204
    assert client.get("/api/v1/me").json() == {"user": None, "role": None}


def test_every_error_has_the_one_shape(client: TestClient) -> None:
    missing = client.get("/api/v1/articles/no-such-article")
    assert_error_shape(missing.json(), 404, "not_found")
    invalid = client.post("/api/v1/ask", json={"audience": "clinician"})
    assert invalid.status_code == 422
    assert_error_shape(invalid.json(), 422, "validation_error")
    assert invalid.json()["error"]["details"]["errors"][0]["loc"] == ["body", "question"]
    bad_audience = client.get("/api/v1/articles/x", params={"audience": "martian"})
    assert_error_shape(bad_audience.json(), 422, "validation_error")
    no_route = client.get("/api/v1/nothing-here")
    assert_error_shape(no_route.json(), 404, "not_found")
    wrong_method = client.delete("/api/v1/ask")
    assert_error_shape(wrong_method.json(), 405, "method_not_allowed")
    not_json = client.post(
        "/api/v1/ask",
        content=b'{"question": "What are gallstones?"}',
        headers={"content-type": "text/plain"},
    )
    assert_error_shape(not_json.json(), 422, "validation_error")


def test_openapi_documents_the_api_and_its_error_shape(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/ask",
        "/api/v1/ask/stream",
        "/api/v1/articles",
        "/api/v1/articles/recent",
        "/api/v1/articles/popular",
        "/api/v1/articles/{slug}",
        "/api/v1/review/queue",
        "/api/v1/articles/{slug}/versions/{version_id}/transitions",
        "/api/v1/articles/{slug}/history",
        "/api/v1/articles/{slug}/diff",
        "/api/v1/articles/{slug}/export",
        "/api/v1/login",
    ):
        assert path in paths, path
    assert not any(p.startswith("/a/") or p == "/" for p in paths), (
        "pages stay out of the API schema"
    )
    assert "ErrorBody" in schema["components"]["schemas"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]  # 422 is the one shape too
    conflict = paths["/api/v1/articles/{slug}/versions/{version_id}/transitions"]["post"][
        "responses"
    ]["409"]
    assert conflict["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
