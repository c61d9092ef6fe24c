"""The main ask de-identifies the question before anything public sees it (issue 24, item 1).

A question carrying a name, a birth date, a phone number and a record number must leave none of
them in the article's slug, title, question, page, search results, API answers or access log, and
the asker is told what was removed. The medical part of the question is still answered.
"""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import csrf_from

PERSONAL = ("I am Marisol Okonkwo, born 07/22/1984, phone 646-555-0143, MRN 55120934. "
            "What are gallstones?")
IDENTIFIERS = ("Marisol", "Okonkwo", "marisol", "okonkwo", "07/22/1984", "07-22-1984", "1984",
               "646-555-0143", "646", "0143", "55120934")


#: LogRecord fields that name the runtime's task, thread or process by a running number.
_COUNTED_NAMES = frozenset({"taskName", "threadName", "processName"})


def _leaks(text: str) -> list[str]:
    return [i for i in IDENTIFIERS if i in text]


def test_api_ask_masks_identifiers_everywhere_and_says_what_was_removed(
        client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="curbside.access"):
        response = client.post("/api/v1/ask", json={"question": PERSONAL})
    assert response.status_code == 200, response.text
    article = response.json()
    assert set(article["removed"]) >= {"NAME", "DATE", "PHONE", "ID"}
    assert "gallstones" in article["question"].lower()
    assert _leaks(article["slug"]) == [] and _leaks(article["question"]) == []
    assert _leaks(article["version"]["answer"]["title"]) == []
    assert article["version"]["answer"]["references"], "the medical question is still answered"

    page = client.get(article["url"]).text
    assert _leaks(page) == []
    again = client.get(f"/api/v1/articles/{article['slug']}").json()
    assert _leaks(str(again)) == []
    for words in ("Okonkwo", "Marisol", "55120934", "gallstones"):
        found = client.get("/api/v1/articles", params={"q": words}).json()
        assert _leaks(str(found)) == []
    # every text a log record carries (its message and string fields); not its timestamps, its random ids
    # (request, thread), whose hex digits may hold "646" by chance, nor the runtime's counted names ("Task-1984",
    # "Thread-646": an asyncio task's or a thread's number)
    logged = " ".join(r.getMessage() + " " + " ".join(v for k, v in r.__dict__.items() if isinstance(v, str)
                                                      and not k.endswith("id") and k not in _COUNTED_NAMES)
                      for r in caplog.records)
    assert caplog.records and _leaks(logged) == []
    metrics = client.get("/metrics").text  # numbers abound there: the whole identifiers only
    assert [i for i in IDENTIFIERS if len(i) > 7 and i in metrics] == []


def test_stream_and_form_tell_the_asker_what_was_removed(client: TestClient) -> None:
    streamed = client.post("/api/v1/ask/stream", json={"question": PERSONAL})
    assert streamed.status_code == 200
    assert "Personal details removed before publishing" in streamed.text
    assert _leaks(streamed.text) == []

    home = client.get("/")
    posted = client.post("/ask", data={"csrf_token": csrf_from(home.text), "question": PERSONAL.replace(
        "gallstones", "the symptoms of gallstones")}, follow_redirects=True)
    assert posted.status_code == 200
    assert "Personal details removed before publishing" in posted.text and _leaks(posted.text) == []
    assert _leaks(str(posted.url)) == []
