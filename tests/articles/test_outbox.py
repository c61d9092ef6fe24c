"""Approvals reach the knowledge base even across a crash (issue 9, defect 8).

Before the fix the knowledge-base sync ran after the approval's transaction with nothing recorded:
a process killed in between left the version approved and its board-reviewed source missing,
still missing after a restart. Now the approval writes an outbox row in its own transaction, and
the sync is applied (idempotently) after each transition and again at start-up.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from curbside.accounts.models import Role, User
from curbside.articles.models import ReviewState
from curbside.articles.publish import board_source_id
from curbside.articles.service import ArticleService
from curbside.articles.tables import kb_outbox
from curbside.domain import Audience
from curbside.kb.service import KnowledgeBase
from curbside.settings import Settings
from curbside.web.app import create_app
from tests.articles.conftest import MemoEmbedder, PassageAnswers

QUESTION = "What is Cole disease?"


def _approve_then_crash(service: ArticleService, reviewer: User,
                        monkeypatch: pytest.MonkeyPatch) -> str:
    """Approve, with the process 'dying' right after the approval's commit."""
    slug = service.ask(QUESTION).slug
    latest = service.view(slug).latest
    started = service.transition(slug, latest.id, "start_review", actor=reviewer,
                                 expected_lock_version=latest.lock_version)
    with monkeypatch.context() as patch:
        patch.setattr(ArticleService, "apply_outbox", lambda self, **_: 0)  # the crash
        done = service.transition(slug, started.id, "approve", actor=reviewer,
                                  expected_lock_version=started.lock_version)
    assert done.state == ReviewState.APPROVED
    assert service.kb.store.source(board_source_id(slug, Audience.CLINICIAN)) is None
    return slug


def _pending(service: ArticleService) -> list[int]:
    with service.engine.connect() as conn:
        return [r.article_id for r in conn.execute(
            select(kb_outbox).where(kb_outbox.c.applied_at.is_(None)))]


def test_an_approval_interrupted_before_the_sync_is_applied_after_restart(
        service: ArticleService, users: dict[Role, User], art_settings: Settings,
        answers: PassageAnswers, memo_embedder: MemoEmbedder, monkeypatch: pytest.MonkeyPatch) -> None:
    slug = _approve_then_crash(service, users[Role.REVIEWER], monkeypatch)
    assert _pending(service) == [service.store.article(slug).id]
    restarted = ArticleService(art_settings, answers, embedder=memo_embedder,
                               kb=KnowledgeBase(art_settings, embedder=memo_embedder))
    assert restarted.apply_outbox() == 1
    source = restarted.kb.store.source(board_source_id(slug, Audience.CLINICIAN))
    assert source is not None and "Dana Rivera" in source.attribution
    assert _pending(restarted) == [] and restarted.apply_outbox() == 0  # applied once


def test_a_failed_sync_stays_in_the_outbox_until_it_succeeds(
        service: ArticleService, users: dict[Role, User], monkeypatch: pytest.MonkeyPatch) -> None:
    reviewer = users[Role.REVIEWER]
    slug = service.ask(QUESTION).slug
    latest = service.view(slug).latest
    started = service.transition(slug, latest.id, "start_review", actor=reviewer,
                                 expected_lock_version=latest.lock_version)
    with monkeypatch.context() as patch:
        def broken(*_args: object, **_kwargs: object) -> None:
            raise OSError("disk full (simulated)")

        patch.setattr(KnowledgeBase, "add_documents", broken)
        service.transition(slug, started.id, "approve", actor=reviewer,
                           expected_lock_version=started.lock_version)  # committed, logged
    assert len(_pending(service)) == 1
    latest = service.view(slug).latest
    assert service.transition(slug, latest.id, "retract", actor=users[Role.EDITOR], comment="Withdrawn.",
                              expected_lock_version=latest.lock_version).state == ReviewState.RETRACTED
    assert _pending(service) == []  # both rows applied: the KB holds what the database says
    assert service.kb.store.source(board_source_id(slug, Audience.CLINICIAN)) is None


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_server_applies_the_outbox_at_start(
        service: ArticleService, users: dict[Role, User], art_settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    slug = _approve_then_crash(service, users[Role.REVIEWER], monkeypatch)
    settings = art_settings.model_copy(update={"embedding": art_settings.embedding})
    with TestClient(create_app(settings)) as client:
        services = client.app.state.services  # type: ignore[attr-defined]
        kb = services.articles.kb
        assert kb.store.source(board_source_id(slug, Audience.CLINICIAN)) is not None


#: Run in a child process: approve, then die by SIGKILL right after the approval's commit (before
#: the knowledge-base sync) — a real process death, no cleanup, no ``finally``.
_KILLED_APPROVER = r'''
import os, signal, sys
from curbside.articles.service import ArticleService
from curbside.accounts.users import UserService
from curbside.retrieval.minilm import PackagedMiniLM
from curbside.settings import Settings
data_dir, database_url, slug, version_id, lock = sys.argv[1:6]
settings = Settings(data_dir=data_dir, database_url=database_url, starter_pack=False)
ArticleService.apply_outbox = lambda self, **_: os.kill(os.getpid(), signal.SIGKILL)
service = ArticleService(settings, None, embedder=PackagedMiniLM())
service.transition(slug, int(version_id), "approve", actor=UserService(settings).by_username("rivera"),
                   expected_lock_version=int(lock))
print("not killed")
'''


def test_a_process_killed_after_the_approval_commit_is_repaired_on_restart(
        service: ArticleService, users: dict[Role, User], art_settings: Settings,
        answers: PassageAnswers, memo_embedder: MemoEmbedder) -> None:
    import signal
    import subprocess
    import sys

    reviewer = users[Role.REVIEWER]
    slug = service.ask(QUESTION).slug
    latest = service.view(slug).latest
    started = service.transition(slug, latest.id, "start_review", actor=reviewer,
                                 expected_lock_version=latest.lock_version)
    child = subprocess.run([sys.executable, "-c", _KILLED_APPROVER, str(art_settings.data_dir),
                            art_settings.resolved_database_url, slug, str(started.id), str(started.lock_version)],
                           capture_output=True, text=True, timeout=300, check=False)
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr
    assert service.view(slug).latest.state == ReviewState.APPROVED  # the approval was committed …
    assert service.kb.store.source(board_source_id(slug, Audience.CLINICIAN)) is None  # … the sync was not
    assert _pending(service) == [service.store.article(slug).id]
    restarted = ArticleService(art_settings, answers, embedder=memo_embedder,
                               kb=KnowledgeBase(art_settings, embedder=memo_embedder))
    assert restarted.apply_outbox() == 1
    assert restarted.kb.store.source(board_source_id(slug, Audience.CLINICIAN)) is not None
    assert _pending(restarted) == []
