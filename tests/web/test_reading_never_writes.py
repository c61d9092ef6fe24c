"""Reading never writes a version (issue 9, defect 12).

Before the fix an anonymous ``GET /a/<slug>?audience=patient`` generated and stored a new
version; now a variant is written only on request (a POST), by someone who may ask.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.test_api import ask


def _history(client: TestClient, slug: str) -> list[tuple[str, int]]:
    services = client.app.state.services  # type: ignore[attr-defined]
    return [(e.action, e.version_id) for e in services.articles.history(slug)]


def test_anonymous_reads_of_a_missing_variant_write_nothing(client: TestClient) -> None:
    article = ask(client)
    slug = article["slug"]
    before = _history(client, slug)
    for url in (f"/a/{slug}?audience=patient", f"/a/{slug}/print?audience=patient",
                f"/api/v1/articles/{slug}?audience=patient"):
        assert client.get(url).status_code == 404, url
    assert client.head(f"/a/{slug}?audience=patient").status_code == 404
    assert _history(client, slug) == before
    assert client.get(f"/api/v1/articles/{slug}").json()["version"]["audience"] == "clinician"
    written = client.post(f"/api/v1/articles/{slug}/variants", json={"audience": "patient"})
    assert written.status_code == 200 and written.json()["audience"] == "patient"
    assert len(_history(client, slug)) == len(before) + 1  # the request wrote one version
