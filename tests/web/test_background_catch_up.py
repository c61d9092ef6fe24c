"""Catch-up runs in the background (issue 25, items 3 and 4): a doctor's reply made while passages
another process wrote wait to be embedded returns without embedding them (the request serves from
what is indexed); the background upkeep then embeds and indexes the backlog and publishes the
consult with its More Info. A publication a crash cut short stays queued until it is done."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from curbside.accounts.models import User
from curbside.consult.models import MoreInfoState
from curbside.domain import Section, Source, SourceDocument, SourceKind
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from tests.web.conftest import api_login, make_app, web_settings_for
from tests.web.test_consults import REPLY, _ask

#: Synthetic, non-medical text (made-up notices), as another process's `kb add` would store.
BACKLOG = [SourceDocument(source=Source(id=f"local:notice-{i}", kind=SourceKind.PATIENT_EDUCATION,
                                        title=f"Notice {i} about the bicycle shed", collection="local"),
                          sections=[Section(headings=["Notice"], text=f"Bicycle shed notice number {i}: "
                                            "the shed is repainted by volunteers every spring.")])
           for i in range(30)]


def _login_as(client: TestClient, username: str) -> None:
    client.post("/api/v1/logout")
    client.headers.pop("X-CSRF-Token", None)
    api_login(client, username)


def test_a_reply_behind_a_backlog_leaves_the_catch_up_to_the_background(
        web_data: Path, accounts: dict[str, User], embedder: Embedder) -> None:
    settings = web_settings_for(web_data, maintenance_interval_s=0)  # the upkeep runs by hand
    with TestClient(make_app(settings)) as client:
        services = client.app.state.services  # type: ignore[attr-defined]
        other = KnowledgeBase(settings, embedder=embedder)  # `curbside kb add` in another process,
        other.add_documents(BACKLOG)  # stored, not embedded yet
        backlog = other.store.count_without_embedding(embedder.name)
        assert backlog >= len(BACKLOG)
        consult_id = _ask(client)
        _login_as(client, "okafor")
        client.post(f"/api/v1/consults/{consult_id}/moderation", json={"action": "approve"})
        _login_as(client, "rivera")
        replied = client.post(f"/api/v1/consults/{consult_id}/replies", json={"text": REPLY})
        assert replied.status_code == 200, replied.text
        assert replied.json()["state"] == "published"
        assert other.store.count_without_embedding(embedder.name) == backlog  # not in the request
        assert replied.json()["more_info_state"] == MoreInfoState.PENDING.value
        asked = client.post("/api/v1/ask", json={"question": "What are gallstones?"})
        assert asked.status_code == 200 and asked.json()["version"]["answer"]["references"]
        services.maintainer.run_once()
        assert other.store.count_without_embedding(embedder.name) == 0
        shown = client.get(f"/api/v1/consults/{consult_id}").json()
        assert shown["consult"]["more_info_state"] in ("published", "held")
        found = services.articles.kb.search("bicycle shed notice number 7", k=3, mode="bm25")
        assert "number 7" in found[0].passage.text


def test_a_publication_cut_short_is_finished_by_the_background(
        web_data: Path, accounts: dict[str, User]) -> None:
    settings = web_settings_for(web_data, maintenance_interval_s=0)
    with TestClient(make_app(settings)) as client:
        services = client.app.state.services  # type: ignore[attr-defined]
        consults = services.consults
        consult_id = _ask(client)
        _login_as(client, "okafor")
        client.post(f"/api/v1/consults/{consult_id}/moderation", json={"action": "approve"})

        def killed(_ids: list[int], **_: object) -> None:  # kill -9 after the reply was committed
            raise SystemExit("killed")

        consults.publish, real = killed, consults.publish
        with pytest.raises(SystemExit):
            consults.reply(consult_id, REPLY, doctor=accounts["reviewer"])
        consults.publish = real
        assert consults.store.get(consult_id).more_info_state == MoreInfoState.PENDING
        services.maintainer.run_once()
        assert consults.store.get(consult_id).more_info_state in (MoreInfoState.PUBLISHED, MoreInfoState.HELD)
