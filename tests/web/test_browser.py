"""The whole flow in a real browser: headless Chromium (Debian package) driven by Playwright.

ask → the article appears with citations → switch to the patient variant → follow-up question →
a reviewer signs in and requests changes → an editor resubmits → the reviewer approves → the
pending-review banner is gone and the stepper shows Approved. Screenshots of the home, article and
dashboard pages go to docs/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from curbside.accounts.models import User
from curbside.settings import Settings
from tests.web.conftest import PASSWORD, make_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path(os.environ.get("CURBSIDE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(
    os.environ.get(
        "CURBSIDE_SCREENSHOTS_DIR", Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    )
)
QUESTION = "What are gallstones?"
FOLLOW_UP = "How are gallstones treated?"
WAIT_MS = 120_000  # generation on a slow CI machine; this is a ceiling, not an assertion


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def live_server(web_settings: Settings, accounts: dict[str, User]) -> Iterator[str]:
    """The real app under uvicorn on 127.0.0.1 and a free port, in a background thread."""
    app: FastAPI = make_app(web_settings)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture
def new_page(live_server: str) -> Iterator[Callable[..., Any]]:
    """Open pages in headless Chromium; each records page errors, console errors and HTTP >= 400."""
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        if os.environ.get("CI"):
            pytest.fail(
                f"Chromium is required in CI: apt-get install -y chromium chromium-driver ({CHROMIUM})"
            )
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )

        def open_page(*, javascript: bool = True) -> Any:
            context = browser.new_context(
                base_url=live_server,
                viewport={"width": 1280, "height": 900},
                java_script_enabled=javascript,
            )
            context.set_default_timeout(WAIT_MS)
            page = context.new_page()
            problems: list[str] = []
            page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
            page.on(
                "console",
                lambda msg: (
                    problems.append(f"console: {msg.text}") if msg.type == "error" else None
                ),
            )
            page.on(
                "response",
                lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
            )
            page.problems = problems
            return page

        yield open_page
        browser.close()


def _sign_in(page: object, username: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/review$"))
    expect(page.locator(".flash")).to_contain_text("Signed in as")


def _sign_out(page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.get_by_role("button", name=re.compile("Sign out")).click()
    expect(page.locator(".flash")).to_contain_text("Signed out")


def _act(page: object, action: str, comment: str = "") -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    if comment:
        page.get_by_label(re.compile("^Comment")).fill(comment)
    page.get_by_role("button", name=action, exact=True).click()
    expect(page.locator(".flash").first).to_contain_text(action)


def test_ask_switch_follow_up_review_and_approve(new_page: Callable[..., Any]) -> None:
    from playwright.sync_api import Page, expect

    page = new_page()
    assert isinstance(page, Page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # --- ask: JavaScript streams progress (SSE), then opens the article ---------------------------
    page.goto("/")
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_label(re.compile("Healthcare professional")).check()
    with page.expect_response(lambda r: r.url.endswith("/ask/stream")) as streamed:
        page.get_by_role("button", name="Ask", exact=True).click()
    assert streamed.value.headers["content-type"].startswith("text/event-stream")
    page.wait_for_url(re.compile(r"/a/[\w-]+$"))
    article_url = page.url
    expect(page.locator("h1.question")).to_have_text(QUESTION)
    expect(page.locator(".pending-banner")).to_contain_text("pending human review")
    expect(page.locator('.stepper li[aria-current="step"]')).to_contain_text("Submitted")
    page.screenshot(path=str(SCREENSHOTS / "article.png"), full_page=True)

    # --- citations link to references that show their passage -----------------------------------
    citations = page.locator("sup.cite a")
    assert citations.count() > 0
    first = citations.first
    target = first.get_attribute("href")
    assert target and re.fullmatch(r"#ref-\d+", target)
    first.click()
    reference = page.locator(target)
    expect(reference.locator(".ref-type")).not_to_be_empty()
    expect(reference.locator("details")).to_have_attribute("open", "")
    expect(reference.locator("blockquote.passage").first).to_be_visible()

    # --- personalize: the patient variant -------------------------------------------------------
    page.get_by_role("button", name=re.compile("Patient or caregiver")).click()  # not written yet
    page.wait_for_url(re.compile(r"\?audience=patient$"))
    expect(page.locator('.audience-switch a[aria-current="true"]')).to_contain_text(
        "Patient or caregiver"
    )
    expect(page.locator("#disclaimer-heading")).to_have_text("Medical Disclaimer")

    # --- a follow-up question continues the thread ------------------------------------------------
    page.get_by_label("Your follow-up question").fill(FOLLOW_UP)
    page.get_by_role("button", name="Ask follow-up").click()
    page.wait_for_url(lambda url: "/a/" in url and url.split("?")[0] != article_url)
    expect(page.locator("h1.question")).to_have_text(FOLLOW_UP)
    expect(page.locator('.audience-switch a[aria-current="true"]')).to_contain_text(
        "Patient or caregiver"
    )

    # --- the reviewer requests changes ------------------------------------------------------------
    slug = article_url.rsplit("/", 1)[-1]
    _sign_in(page, "rivera")
    expect(page.locator("table.queue")).to_contain_text(QUESTION)
    page.locator(f'table.queue a[href="/review/{slug}?audience=clinician"]').click()
    _act(page, "Start review")
    _act(page, "Request changes", "Name the source of the first statement in the summary.")
    expect(page.locator("table.history")).to_contain_text("Name the source of the first statement")
    _sign_out(page)

    # --- an editor resubmits; the reviewer approves -----------------------------------------------
    _sign_in(page, "okafor")
    page.goto(f"/review/{slug}")
    _act(page, "Resubmit", "Source named.")
    _sign_out(page)
    _sign_in(page, "rivera")
    page.goto(f"/review/{slug}")
    _act(page, "Start review")
    expect(page.locator("table.history tbody tr")).to_have_count(6)
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)
    _act(page, "Approve", "Checked against the cited passages.")

    # --- the reader's page: no banner, the stepper shows Approved ---------------------------------
    page.goto(article_url)
    expect(page.locator(".pending-banner")).to_have_count(0)
    expect(page.locator('.stepper li[aria-current="step"]')).to_contain_text("Approved")
    expect(page.locator(".stepper")).to_have_attribute("data-state", "approved")
    expect(page.locator(".reviewed-by")).to_contain_text("Dr. Ana Rivera")

    page.goto("/")
    expect(page.locator("#recent-heading + .article-list")).to_contain_text(QUESTION)
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)

    assert page.problems == []


def test_without_javascript_the_form_posts_and_redirects(new_page: Callable[..., Any]) -> None:
    from playwright.sync_api import expect

    page = new_page(javascript=False)
    page.goto("/")
    page.get_by_label("Your question").fill("What is hemochromatosis?")
    page.get_by_label(re.compile("Patient or caregiver")).check()
    with page.expect_response(lambda r: r.url.endswith("/ask") and r.status == 303):
        page.get_by_role("button", name="Ask", exact=True).click()
    page.wait_for_url(re.compile(r"/a/[\w-]+\?audience=patient$"))
    expect(page.locator("h1.question")).to_have_text("What is hemochromatosis?")
    expect(page.locator(".pending-banner")).to_be_visible()
    expect(page.locator("sup.cite a").first).to_have_attribute("href", re.compile(r"^#ref-\d+$"))
    assert page.problems == []
