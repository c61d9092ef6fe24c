"""The consult board over HTTP: JSON API (in the OpenAPI schema) and pages, with the real app."""

from __future__ import annotations

from fastapi.testclient import TestClient

from curbside.accounts.models import Role, User
from curbside.accounts.users import UserService
from curbside.settings import Settings
from tests.web.conftest import PASSWORD, api_login, assert_error_shape, csrf_from

QUESTION = ("Hello Dr. Lin, I am Chen Wei-Ting, call me on 0912-345-678. I had gallstone pain after fatty meals "
            "last week. What are gallstones?")
REPLY = "Gallstones are hard particles that develop in the gallbladder."  # MedQuAD (NIDDK), quoted


def _ask(client: TestClient) -> int:
    response = client.post("/api/v1/consults", json={"question": QUESTION, "age_band": "40-49", "sex": "female"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["state"] == "submitted" and "Chen" not in body["question"] and "0912" not in body["question"]
    return int(body["id"])


def test_api_ask_moderate_reply_show(client: TestClient, accounts: dict[str, User]) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/api/v1/consults", "/api/v1/consults/{consult_id}", "/api/v1/consults/{consult_id}/moderation",
                 "/api/v1/consults/{consult_id}/replies", "/api/v1/consults/queue"):
        assert path in schema["paths"], path
    consult_id = _ask(client)
    missing = client.get(f"/api/v1/consults/{consult_id}")
    assert missing.status_code == 404
    assert_error_shape(missing.json(), 404, "not_found")

    api_login(client, "rivera")  # a doctor may not moderate
    denied = client.post(f"/api/v1/consults/{consult_id}/moderation", json={"action": "approve"})
    assert denied.status_code == 403
    client.post("/api/v1/logout")
    client.headers.pop("X-CSRF-Token", None)

    api_login(client, "okafor")
    assert client.get("/api/v1/consults/queue").json()["submitted"][0]["id"] == consult_id
    approved = client.post(f"/api/v1/consults/{consult_id}/moderation", json={"action": "approve"})
    assert approved.status_code == 200 and approved.json()["state"] == "awaiting_reply"
    client.post("/api/v1/logout")
    client.headers.pop("X-CSRF-Token", None)

    api_login(client, "rivera")
    replied = client.post(f"/api/v1/consults/{consult_id}/replies", json={"text": REPLY})
    assert replied.status_code == 200, replied.text
    assert replied.json()["state"] == "published"

    shown = client.get(f"/api/v1/consults/{consult_id}").json()
    assert shown["consult"]["replies"][0]["doctor"] == "Ana Rivera"  # the account's "Dr." is not doubled
    assert shown["consult"]["replies"][0]["specialty"] == "Gastroenterology"
    assert shown["more_info"]["audience"] == "patient" and "AI" in shown["more_info_label"]
    listed = client.get("/api/v1/consults").json()
    assert [c["id"] for c in listed] == [consult_id]


def test_pages_ask_form_queue_and_consult_page(client: TestClient, accounts: dict[str, User]) -> None:
    form = client.get("/consults/ask")
    assert form.status_code == 200 and "Ask the doctors" in form.text
    token = csrf_from(form.text)
    bad = client.post("/consults/ask", data={"csrf_token": token, "question": QUESTION, "age_band": "40-49",
                                             "sex": "female"})
    assert bad.status_code == 400 and "consent" in bad.text
    no_csrf = client.post("/consults/ask", data={"question": QUESTION, "age_band": "40-49", "sex": "female",
                                                 "consent": "yes"})
    assert no_csrf.status_code == 403
    sent = client.post("/consults/ask", data={"csrf_token": token, "question": QUESTION, "age_band": "40-49",
                                              "sex": "female", "consent": "yes"}, follow_redirects=True)
    assert sent.status_code == 200 and "was received" in sent.text

    assert client.get("/moderation", follow_redirects=False).status_code in (401, 303, 302)
    login = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_from(login.text), "username": "okafor", "password": PASSWORD})
    queue = client.get("/moderation")
    assert queue.status_code == 200 and "[NAME]" in queue.text and "Chen Wei-Ting" not in queue.text
    consult_id = int(queue.text.split('data-consult="')[1].split('"')[0])
    moderated = client.post(f"/moderation/{consult_id}/moderate",
                            data={"csrf_token": csrf_from(queue.text), "action": "approve"}, follow_redirects=True)
    assert "awaiting reply" in moderated.text
    client.post("/logout", data={"csrf_token": csrf_from(moderated.text)})

    login = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_from(login.text), "username": "rivera", "password": PASSWORD})
    queue = client.get("/moderation")
    replied = client.post(f"/moderation/{consult_id}/reply", data={"csrf_token": csrf_from(queue.text), "text": REPLY},
                          follow_redirects=True)
    assert "Reply published" in replied.text

    page = client.get(f"/consults/{consult_id}")
    assert page.status_code == 200
    html = page.text
    assert "Dr. Ana Rivera, MD reply" in html and "Dr. Dr." not in html
    assert "Anonymous, 40-49 year old female. Ask Date:" in html
    assert "reply <span class=\"specialty\">· Gastroenterology</span>" in html
    assert "AI-written" in html and "Similar Q&amp;A" in html and "Related FAQ" in html
    assert "Chen Wei-Ting" not in html and "0912-345-678" not in html
    faq_link = html.split('<ul class="faq-list">')[1].split('href="')[1].split('"')[0]
    assert faq_link.startswith("/consults?topic=")
    assert f'href="/consults/{consult_id}"' in client.get(faq_link.replace("&amp;", "&")).text


def test_a_held_more_info_is_shown_to_editors_and_released(client: TestClient, accounts: dict[str, User]) -> None:
    # A planted contradiction: a red-flag question, a reply that says benign and no follow-up.
    response = client.post("/api/v1/consults", json={
        "question": "Crushing chest pain spreading to my left arm, I am sweating. Is it my gallstones?",
        "age_band": "50-59", "sex": "male"})
    consult_id = response.json()["id"]
    api_login(client, "okafor")
    client.post(f"/api/v1/consults/{consult_id}/moderation", json={"action": "approve"})
    client.post("/api/v1/logout")
    client.headers.pop("X-CSRF-Token", None)
    api_login(client, "rivera")
    replied = client.post(f"/api/v1/consults/{consult_id}/replies",
                          json={"text": "This is benign and does not require any follow-up."}).json()
    assert replied["more_info_state"] == "held"
    page = client.get(f"/consults/{consult_id}").text
    assert "being checked by an editor" in page and "Urgent:" in page
    queue = client.get("/moderation").text  # a doctor sees the note but not the held text
    assert "The held More Info" not in queue
    client.post("/api/v1/logout")
    client.headers.pop("X-CSRF-Token", None)

    login = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_from(login.text), "username": "okafor", "password": PASSWORD})
    queue = client.get("/moderation").text
    assert "The held More Info" in queue and "reassures" in queue
    released = client.post(f"/moderation/{consult_id}/release", data={"csrf_token": csrf_from(queue)},
                           follow_redirects=True)
    assert "More Info of consult" in released.text
    assert "being checked by an editor" not in client.get(f"/consults/{consult_id}").text


def test_a_nurse_and_an_admin_reply_under_their_own_credentials_not_as_dr(
        client: TestClient, accounts: dict[str, User], web_settings: Settings) -> None:
    # Issue 24, item 3: "Dr." only for physician credentials; others are shown with the credentials they have.
    users = UserService(web_settings)
    users.add("nurse", PASSWORD, role=Role.REVIEWER, display_name="Bob Nurse", credentials="RN", specialty="Surgery")
    users.add("boss", PASSWORD, role=Role.ADMIN, display_name="Al Admin")
    shown = {}
    for username in ("nurse", "boss"):
        consult_id = _ask(client)
        api_login(client, "okafor")
        client.post(f"/api/v1/consults/{consult_id}/moderation", json={"action": "approve"})
        client.post("/api/v1/logout")
        client.headers.pop("X-CSRF-Token", None)
        api_login(client, username)
        replied = client.post(f"/api/v1/consults/{consult_id}/replies", json={"text": REPLY})
        assert replied.status_code == 200, replied.text
        client.post("/api/v1/logout")
        client.headers.pop("X-CSRF-Token", None)
        shown[username] = client.get(f"/consults/{consult_id}").text
    assert "Bob Nurse, RN reply" in shown["nurse"] and "Dr. Bob" not in shown["nurse"]
    assert "Al Admin reply" in shown["boss"] and "Dr. Al" not in shown["boss"]
    listing = client.get("/consults").text
    assert "Dr. Bob" not in listing and "Dr. Al" not in listing and "Bob Nurse, RN" in listing
