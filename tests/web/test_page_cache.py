"""Anonymous article pages: rendered once per version and audience, ETag / Last-Modified with
304 on revalidation, public caching once approved; anonymous form posts checked by origin.
The real app (SQLite, tantivy, usearch, the packaged model)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from curbside.accounts.models import User
from curbside.settings import Settings
from curbside.web.app import create_app
from curbside.web.page_cache import PageCache
from tests.web.conftest import api_login

QUESTION = "What are gallstones?"


def ask(client: TestClient) -> dict[str, Any]:
    response = client.post("/api/v1/ask", json={"question": QUESTION})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_anonymous_page_is_rendered_once_and_revalidates_with_304(client: TestClient) -> None:
    article = ask(client)
    url = article["url"]
    cache: PageCache = client.app.state.page_cache  # type: ignore[attr-defined]
    first = client.get(url)
    assert first.status_code == 200
    tag, modified = first.headers["etag"], first.headers["last-modified"]
    assert tag.startswith('"') and modified.endswith("GMT")
    assert first.headers["cache-control"] == "private, no-cache"  # awaiting review
    assert first.headers["vary"] == "Cookie"  # (set by the session middleware)
    assert "set-cookie" not in first.headers  # nothing per session in a shared page
    assert 'name="csrf_token"' not in first.text and "Gallstones" in first.text
    assert (cache.misses, cache.hits) == (1, 0)

    second = client.get(url)
    assert (second.text, second.headers["etag"]) == (first.text, tag)
    assert cache.hits == 1  # served from the cache, not rendered again

    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    by_date = client.get(url, headers={"If-Modified-Since": modified})
    assert by_date.status_code == 304
    stale = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200


def test_approval_changes_the_tag_and_makes_the_page_public(
        client: TestClient, accounts: dict[str, User]) -> None:
    article = ask(client)
    url = article["url"]
    before = client.get(url).headers["etag"]
    with TestClient(client.app) as reviewer:
        api_login(reviewer, "rivera")
        lock = article["latest"]["lock_version"]
        for action in ("start_review", "approve"):
            moved = reviewer.post(
                f"/api/v1/articles/{article['slug']}/versions/{article['latest']['id']}/transitions",
                json={"action": action, "lock_version": lock})
            assert moved.status_code == 200, moved.text
            lock = moved.json()["lock_version"]
        signed_in = reviewer.get(url)  # a reviewer's page is personal: never shared or cached
        assert signed_in.headers["cache-control"] == "no-store"
        assert 'name="csrf_token"' in signed_in.text and "etag" not in signed_in.headers
    after = client.get(url, headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["etag"] != before
    assert after.headers["cache-control"] == "public, max-age=60"


def test_anonymous_form_posts_need_the_same_origin_or_the_token(client: TestClient) -> None:
    form = {"question": QUESTION, "audience": "clinician"}
    own = client.post("/ask", data=form, headers={"Origin": "http://testserver"},
                      follow_redirects=False)
    assert own.status_code in (200, 303), own.text
    fetched = client.post("/ask", data=form, headers={"Sec-Fetch-Site": "same-origin"},
                          follow_redirects=False)
    assert fetched.status_code in (200, 303), fetched.text
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Origin": "null"}, {}):
        refused = client.post("/ask", data=form, headers=headers, follow_redirects=False)
        assert refused.status_code == 403, headers


def test_a_fresh_page_is_served_without_the_database_and_its_views_still_count(
        web_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = web_settings.model_copy(update={"web": web_settings.web.model_copy(
        update={"page_fresh_s": 300.0})})
    with TestClient(create_app(settings)) as client:
        url = ask(client)["url"]
        service = client.app.state.services.articles  # type: ignore[attr-defined]
        reads: list[str] = []
        real_get = service.get

        def counting_get(slug: str, **kwargs: Any) -> Any:
            reads.append(slug)
            return real_get(slug, **kwargs)

        monkeypatch.setattr(service, "get", counting_get)
        first = client.get(url)
        for _ in range(4):
            again = client.get(url)
            assert again.text == first.text and again.headers["etag"] == first.headers["etag"]
        assert len(reads) == 1  # one database read, then four pages from memory
        assert client.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
        cache: PageCache = client.app.state.page_cache  # type: ignore[attr-defined]
        cache._views_flushed -= 5  # a second has passed: the next page adds the counted views
        client.get(url)
        slug = url.rsplit("/", 1)[-1]
        assert service.view(slug).views == 7  # 1 counted on the read + 6 from memory
