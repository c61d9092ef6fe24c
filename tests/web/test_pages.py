"""Server-rendered pages in-process: home, asking without JavaScript, the article page as the
seeds show it, streaming, the editorial policy, the reviewer dashboard."""

from __future__ import annotations

import html
import json
import re

from fastapi.testclient import TestClient

from curbside.accounts.models import User
from tests.web.conftest import csrf_from

QUESTION = "What are gallstones?"
HTML = {"accept": "text/html"}


def ask_form(client: TestClient, question: str = QUESTION, **fields: str) -> str:
    """Ask through the home page's form (no JavaScript); return the article URL."""
    token = csrf_from(client.get("/").text)
    response = client.post(
        "/ask",
        data={"question": question, "audience": "clinician", "csrf_token": token, **fields},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/a/")
    return location


def test_home_has_ask_box_search_and_lists(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    text = page.text
    assert '<form method="post" action="/ask" data-stream="/ask/stream"' in text
    assert '<label for="question"' in text and 'name="audience" value="patient"' in text
    assert 'role="search"' in text and 'href="#main"' in text and '<main id="main"' in text
    assert "Recently reviewed" in text and "Most read" in text
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_plain_form_post_redirects_to_the_article_page(client: TestClient) -> None:
    url = ask_form(client)
    page = client.get(url)
    assert page.status_code == 200
    text = page.text
    assert f'<h1 class="question">{QUESTION}</h1>' in text
    assert "All articles are reviewed for accuracy by our Medical Advisory Board" in text
    assert "Educational purpose only • Exercise caution as content is pending human review" in text
    # the stepper: three steps, the first current
    steps = re.findall(r'<li class="step([^"]*)"\s*(aria-current="step")?', text)
    assert len(steps) == 3 and steps[0][1] == 'aria-current="step"' and not steps[1][1]
    assert re.search(r"Last updated: <time datetime=\"[^\"]+\">\w+ \d{1,2}, \d{4}</time>", text)
    assert 'href="/editorial-policy">View editorial policy</a>' in text
    assert "Personalize" in text and "Which best describes you?" in text
    # the patient variant is not written yet: a button requests it (a link would write on GET)
    assert re.search(r'action="/a/[\w-]+/variant"', text) and 'name="audience" value="patient"' in text
    # citations link to references, which show their passages
    cited = set(re.findall(r'<a href="#ref-(\d+)"', text))
    assert cited, "inline citation numbers"
    for number in cited:
        block = re.search(rf'<li id="ref-{number}" value="{number}">(.*?)</li>', text, re.S)
        assert block, f"reference {number} exists"
        assert 'class="ref-type"' in block.group(1) and "<details" in block.group(1)
        assert "<blockquote" in block.group(1)
    assert "Professional Medical Disclaimer" in text
    assert "Have a follow-up question?" in text and "Related articles" in text


def test_audience_switch_renders_the_patient_variant(client: TestClient) -> None:
    url = ask_form(client)
    missing = client.get(url + "?audience=patient")
    assert missing.status_code == 404 and "Write the patient version" in missing.text
    written = client.post(url + "/variant",
                          data={"audience": "patient", "csrf_token": csrf_from(missing.text)})
    assert written.status_code == 200 and written.url.path == url  # followed the 303
    page = client.get(url + "?audience=patient").text
    assert 'data-audience="patient"' in page
    assert re.search(r'aria-current="true" data-audience="patient"', page)
    assert "Medical Disclaimer" in page and "Professional Medical Disclaimer" not in page
    assert '<input type="hidden" name="audience" value="patient">' in page


def test_follow_up_continues_the_thread(client: TestClient) -> None:
    url = ask_form(client)
    page = client.get(url).text
    thread = re.search(r'<input type="hidden" name="thread_id" value="([^"]+)">', page)
    assert thread, "the follow-up form carries the thread id"
    follow = ask_form(client, "How are they treated?", thread_id=html.unescape(thread.group(1)))
    assert follow != url
    assert "How are they treated?" in client.get(follow).text


def test_user_text_is_escaped(client: TestClient) -> None:
    attack = "What are gallstones? <script>alert(1)</script>"
    url = ask_form(client, attack)
    page = client.get(url).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    search = client.get("/search", params={"q": '"><img src=x onerror=alert(1)>'}).text
    assert "<img src=x" not in search and "&lt;img src=x onerror=alert(1)&gt;" in search


def test_streaming_reports_progress_then_the_article(client: TestClient) -> None:
    token = csrf_from(client.get("/").text)
    with client.stream(
        "POST",
        "/ask/stream",
        data={"question": QUESTION, "audience": "clinician", "csrf_token": token},
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        body = "".join(response.iter_text())
    events = [
        (m.group(1), json.loads(m.group(2)))
        for m in re.finditer(r"event: (\w+)\ndata: (.*)\n\n", body)
    ]
    names = [name for name, _ in events]
    assert names[0] == "progress" and names[-1] == "done" and "error" not in names
    assert all(
        data.get("message") or data.get("stage") or data.get("event")
        for name, data in events
        if name == "progress"
    )
    done = events[-1][1]
    assert done["url"].startswith("/a/") and client.get(done["url"]).status_code == 200


def test_api_stream_ends_with_the_article(client: TestClient) -> None:
    with client.stream("POST", "/api/v1/ask/stream", json={"question": QUESTION}) as response:
        body = "".join(response.iter_text())
    assert body.rstrip().splitlines()[-2] == "event: done"


def test_print_view_and_editorial_policy(client: TestClient) -> None:
    url = ask_form(client)
    printed = client.get(url.split("?")[0] + "/print").text
    assert '<details class="ref-passages" open>' in printed and "site-nav" not in printed
    policy = client.get("/editorial-policy").text
    for heading in (
        "Answers come from retrieved evidence",
        "Every statement is cited",
        "When we do not answer",
        "Review by the Medical Advisory Board",
        "Corrections and retractions",
        "Not medical advice",
    ):
        assert heading in policy
    assert "Submitted" in policy and "Under Review" in policy and "Approved" in policy


def test_unknown_article_is_a_404_page(client: TestClient) -> None:
    page = client.get("/a/no-such-article", headers=HTML)
    assert page.status_code == 404 and "Not found" in page.text
    assert client.get("/a/no-such-article").json()["error"]["code"] == "not_found"


def login_form(client: TestClient, username: str, next_url: str = "/review") -> None:
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": "correct horse battery",
            "next": next_url,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == next_url


def test_dashboard_needs_a_reviewer(client: TestClient, accounts: dict[str, User]) -> None:
    redirect = client.get("/review", headers=HTML, follow_redirects=False)
    assert redirect.status_code == 303 and redirect.headers["location"] == "/login?next=%2Freview"
    token = csrf_from(client.get("/login").text)
    wrong = client.post(
        "/login", data={"username": "rivera", "password": "nope", "csrf_token": token}
    )
    assert wrong.status_code == 401 and "flash-error" in wrong.text
    login_form(client, "lee")
    assert client.get("/review", headers=HTML).status_code == 403
    token = csrf_from(client.get("/").text)
    client.post("/logout", data={"csrf_token": token})
    login_form(client, "rivera")
    assert client.get("/review", headers=HTML).status_code == 200


def _review_form(page: str) -> tuple[str, str, str]:
    action = re.search(r'<form method="post" action="(/review/[^"]+/versions/\d+)"', page)
    lock = re.search(r'name="lock_version" value="(\d+)"', page)
    assert action and lock
    return action.group(1), lock.group(1), csrf_from(page)


def test_reviewer_acts_from_the_dashboard(client: TestClient, accounts: dict[str, User]) -> None:
    url = ask_form(client)
    slug = url.split("/")[2].split("?")[0]
    login_form(client, "rivera")
    queue = client.get("/review").text
    assert f'href="/review/{slug}?audience=clinician"' in queue and QUESTION in queue

    page = client.get(f"/review/{slug}").text
    assert 'value="start_review"' in page and "History" in page and "Export Markdown" in page
    action, lock, token = _review_form(page)
    done = client.post(
        action,
        data={"action": "start_review", "lock_version": lock, "comment": "", "csrf_token": token},
        follow_redirects=True,
    )
    assert "now under review" in done.text
    assert 'value="approve"' in done.text and 'value="request_changes"' in done.text

    # a second reviewer's stale form: the lock moved on, nothing is lost, the page says why
    stale = client.post(
        action,
        data={"action": "approve", "lock_version": lock, "csrf_token": token},
        follow_redirects=True,
    )
    assert "flash-error" in stale.text
    assert "Under Review" in client.get(f"/review/{slug}").text

    _, lock, token = _review_form(done.text)
    changes = client.post(
        action,
        data={
            "action": "request_changes",
            "lock_version": lock,
            "comment": "Please <b>cite</b> more.",
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    assert "now changes requested" in changes.text
    assert "Please &lt;b&gt;cite&lt;/b&gt; more." in changes.text  # the audit trail, escaped
    article = client.get(url).text
    assert 'data-state="changes_requested"' in article and "pending human review" in article


def test_dashboard_shows_the_diff_between_versions(
    client: TestClient, accounts: dict[str, User]
) -> None:
    url = ask_form(client)
    slug = url.split("/")[2].split("?")[0]
    login_form(client, "okafor")
    page = client.get(f"/review/{slug}").text
    assert "nothing to compare yet" in page
    token = csrf_from(page)
    regenerated = client.post(
        f"/review/{slug}/regenerate", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Version 2 written" in regenerated.text
    assert '<pre class="diff"' in regenerated.text or "read the same" in regenerated.text
    assert 'name="old"' in regenerated.text and "version 1" in regenerated.text
