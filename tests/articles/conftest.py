"""Articles fixtures: settings on SQLite or PostgreSQL, a small real KB, users, a fake composer.

``PassageAnswers`` is a fake around logic only: it answers with the top passages of the real
knowledge base (MedQuAD excerpts in tests/fixtures/articles), quoted verbatim and cited. The
real answer service is exercised in test_real_answers.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from curbside.accounts.models import Role, User
from curbside.accounts.users import UserService
from curbside.articles.service import ArticleService
from curbside.domain import (
    KIND_LABELS,
    Answer,
    AnswerItem,
    AnswerSection,
    Audience,
    CitedText,
    Intent,
    Provenance,
    Reference,
    ReferencePassage,
)
from curbside.ingest.registry import read_paths
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings
from curbside.text import split_sentences

FIXTURES = Path(__file__).parent.parent / "fixtures" / "articles" / "medquad"
PASSWORD = "correct horse battery staple"


class PassageAnswers:
    """Answers made of the knowledge base's top passages, quoted and cited (a fake composer)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.calls: list[tuple[str, Audience, str | None]] = []
        self.k = 3

    def ask(self, question: str, *, audience: Audience = Audience.CLINICIAN,
            thread_id: str | None = None) -> Answer:
        self.calls.append((question, audience, thread_id))
        hits = self.kb.search(question, k=self.k)
        refs, items = [], []
        for n, hit in enumerate(hits, start=1):
            refs.append(Reference(number=n, type=KIND_LABELS[hit.source.kind], title=hit.source.title,
                                  source=hit.source.publisher, url=hit.source.url,
                                  evidence_level=hit.source.evidence_level, source_id=hit.source.id,
                                  passages=[ReferencePassage(id=hit.passage.id, text=hit.passage.text)]))
            items.append(AnswerItem(text=split_sentences(hit.passage.text)[0], citations=[n]))
        first = items[0].text if items else "No evidence found."
        return Answer(
            question=question, title=question.rstrip("?"), audience=audience, intent=Intent.GENERAL,
            bottom_line=CitedText(text=first, citations=[1] if items else []),
            sections=[AnswerSection(heading=f"What the sources say ({audience.value})", items=items)],
            references=refs, disclaimer="Educational purpose only.", abstained=not items,
            provenance=Provenance(composer="passages-fake", composer_version="1", settings_hash="",
                                  retrieval_query=question,
                                  passage_ids=[h.passage.id for h in hits]))


class MemoEmbedder:
    """The real packaged model, remembering vectors across tests (the fixture pages are the
    same in every test, so each passage is embedded once per session)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._memo: dict[str, npt.NDArray[np.float32]] = {}

    def embed(self, texts: Sequence[str], *, batch_size: int = 64) -> npt.NDArray[np.float32]:
        todo = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if todo:
            for text, vector in zip(todo, self.inner.embed(todo, batch_size=batch_size), strict=True):
                self._memo[text] = vector
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])


@pytest.fixture(scope="session")
def memo_embedder(embedder: Embedder) -> MemoEmbedder:
    return MemoEmbedder(embedder)


@pytest.fixture(autouse=True)
def _quick_argon2(quick_argon2: None) -> None:
    """Accounts made here hash in milliseconds (``quick_argon2`` in tests/conftest.py)."""


@pytest.fixture
def art_settings(tmp_path: Path, database_url: str) -> Settings:
    """Settings on SQLite or PostgreSQL (parametrized by ``database_url``)."""
    return Settings(data_dir=tmp_path / "data", database_url=database_url, starter_pack=False)


@pytest.fixture
def kb(art_settings: Settings, memo_embedder: MemoEmbedder) -> KnowledgeBase:
    """A knowledge base holding the three MedQuAD fixture pages."""
    base = KnowledgeBase(art_settings, embedder=memo_embedder)
    report = base.ingest(read_paths(sorted(FIXTURES.glob("*.xml"))))
    assert report.documents_written == 3
    return base


@pytest.fixture
def answers(kb: KnowledgeBase) -> PassageAnswers:
    return PassageAnswers(kb)


@pytest.fixture
def service(art_settings: Settings, answers: PassageAnswers, memo_embedder: MemoEmbedder) -> ArticleService:
    return ArticleService(art_settings, answers, embedder=memo_embedder)


@pytest.fixture
def users(art_settings: Settings) -> dict[Role, User]:
    """One account per role (readers are anonymous: None)."""
    accounts = UserService(art_settings)
    return {
        Role.REVIEWER: accounts.add("rivera", PASSWORD, role=Role.REVIEWER, display_name="Dana Rivera",
                                    credentials="MD", specialty="Radiology"),
        Role.EDITOR: accounts.add("okafor", PASSWORD, role=Role.EDITOR, display_name="Chidi Okafor",
                                  credentials="PharmD"),
        Role.ADMIN: accounts.add("admin", PASSWORD, role=Role.ADMIN, display_name="Site Admin"),
    }


@pytest.fixture
def second_reviewer(art_settings: Settings) -> User:
    return UserService(art_settings).add("nguyen", PASSWORD, role=Role.REVIEWER, display_name="Lan Nguyen",
                                         credentials="MD, PhD", specialty="Endocrinology")
