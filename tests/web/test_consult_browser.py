"""The consult board in a real browser (headless Chromium, Playwright), on the real app.

A patient asks (with a name and phone number that must not come out) → an editor approves it in
the moderation queue → a doctor replies → the published page shows the question (age band, sex,
Anonymous, ask date), "Dr. NAME reply · SPECIALTY", the AI-labelled More Info with references,
Similar Q&A with Read More links and Related FAQ with specialties. The page is saved as
docs/screenshots/consult.png.

Every reply published here is text from the MedQuAD fixture pages (NIH, CC BY 4.0), quoted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from curbside.accounts.models import User
from curbside.answer.service import AnswerService
from curbside.consult.service import ConsultService
from curbside.db import dispose_engines
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings
from curbside.text import split_sentences
from tests.web.conftest import WEB_FIXTURES
from tests.web.test_browser import SCREENSHOTS, _sign_in, _sign_out, live_server, new_page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTION = ("Hello Dr. Lin, I am Chen Wei-Ting (0912-345-678). I had sharp pain under my right ribs after a fatty "
            "dinner and the ultrasound showed stones in my gallbladder. What are gallstones?")
SEEDS = [  # (MedQuAD question, doctor, specialty)
    ("What causes Gallstones ?", "Li Yongheng", "Surgery"),
    ("Who is at risk for Gallstones? ?", "Ke Fangxu", "Family Medicine"),
    ("What is (are) Kidney Stones in Adults ?", "Zhu Junyuan", "Urology"),
    ("What are the symptoms of Hemochromatosis ?", "Li Han", "Hematology"),
]


def _answers() -> dict[str, str]:
    """MedQuAD question → its answer's first three sentences (first answer of each question)."""
    out: dict[str, str] = {}
    for path in sorted((WEB_FIXTURES / "medquad").glob("*.xml")):
        for pair in etree.parse(str(path)).iter("QAPair"):
            question = " ".join((pair.findtext("Question") or "").split())
            answer = " ".join((pair.findtext("Answer") or "").split())
            if question and answer and question not in out:
                out[question] = " ".join(split_sentences(answer)[:3])
    return out


@pytest.fixture
def seeded(web_settings: Settings, embedder: Embedder) -> None:
    """Earlier published consults (an archive import), so Similar Q&A and Related FAQ have content."""
    answers = _answers()
    lines = [json.dumps({"question": q, "age_band": "50-59", "sex": "male", "asked_on": "2022-03-24",
                         "replies": [{"doctor": d, "specialty": s, "text": answers[q], "replied_on": "2022-03-25"}]})
             for q, d, s in SEEDS]
    kb = KnowledgeBase(web_settings, embedder=embedder)
    ConsultService(web_settings, AnswerService(web_settings, kb=kb), kb=kb).import_lines(lines, more_info=False)
    dispose_engines()


def test_ask_moderate_reply_publish(seeded: None, accounts: dict[str, User],
                                    new_page: Callable[..., Any]) -> None:  # noqa: F811
    from playwright.sync_api import Page, expect

    reply = _answers()["What is (are) Gallstones ?"]
    page = new_page()
    assert isinstance(page, Page)

    # --- a patient asks ---------------------------------------------------------------------------
    page.goto("/consults")
    page.get_by_role("link", name="Ask a question").click()
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_label("Age").select_option("40-49")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label(re.compile("I agree")).check()
    page.get_by_role("button", name="Send question").click()
    expect(page.locator(".flash")).to_contain_text("was received")

    # --- an editor approves it ------------------------------------------------------------------
    _sign_in(page, "okafor")
    page.goto("/moderation")
    item = page.locator(".queue-item", has_text="What are gallstones?")
    expect(item.locator(".queue-question")).to_contain_text("[NAME]")
    expect(item.locator(".queue-question")).not_to_contain_text("Chen")
    item.get_by_role("button", name="Approve for reply").click()
    expect(page.locator(".flash")).to_contain_text("awaiting reply")
    _sign_out(page)

    # --- a doctor replies -----------------------------------------------------------------------
    _sign_in(page, "rivera")
    page.goto("/moderation")
    item = page.locator(".queue-item", has_text="What are gallstones?")
    item.get_by_label(re.compile("Your reply")).fill(reply)
    item.get_by_role("button", name="Publish reply").click()
    expect(page.locator(".flash")).to_contain_text("Reply published")
    _sign_out(page)

    # --- the published page, as anyone sees it ---------------------------------------------------
    page.goto("/consults")
    page.get_by_role("link", name="What are gallstones?").click()
    expect(page.locator("h1.question")).to_have_text("What are gallstones?")
    expect(page.locator(".asker")).to_contain_text("Anonymous, 40-49 year old female. Ask Date:")
    expect(page.locator(".consult-question")).not_to_contain_text("Chen Wei-Ting")
    expect(page.locator(".consult-question")).not_to_contain_text("0912")
    expect(page.locator(".reply-heading").first).to_have_text("Dr. Ana Rivera, MD reply · Gastroenterology")
    expect(page.locator(".reply-text").first).to_contain_text(reply.split(". ")[0])
    more_info = page.locator(".more-info")
    expect(more_info.locator(".ai-badge")).to_have_text("AI-written")
    expect(more_info.locator(".ai-label")).to_contain_text("not the doctor's words")
    assert more_info.locator(".reference-list li").count() > 0
    similar = page.locator(".similar-item")
    assert similar.count() >= 2
    expect(similar.first.locator(".similar-doctor")).to_contain_text("reply")
    expect(similar.first.locator("a.read-more")).to_have_text("[Read More]")
    faq = page.locator(".faq-list li")
    assert faq.count() >= 1
    expect(faq.first.locator(".specialty")).to_contain_text("(")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "consult.png"), full_page=True)

    # Read More opens the similar consult.
    target = similar.first.locator("a.read-more").get_attribute("href")
    similar.first.locator("a.read-more").click()
    page.wait_for_url(re.compile(re.escape(str(target)) + "$"))
    expect(page.locator(".doctor-reply")).to_have_count(1)
    assert page.problems == [], page.problems  # no page errors, console errors or HTTP errors
    assert Path(SCREENSHOTS / "consult.png").stat().st_size > 10_000
