"""Golden cases: one question per intent, answered from evidence frozen in tests/fixtures/answer/.

The evidence files were retrieved once from a knowledge base built from the real MedQuAD and
PubMedQA excerpts in ``tests/fixtures/answer/sources`` (``build_evidence.py`` there rebuilds
them); the tests answer from the frozen hits, so they do not depend on retrieval.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from curbside.answer.service import AnswerService
from curbside.domain import Audience, Intent, SearchHit
from curbside.ingest.registry import read_paths
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings

ANSWER_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "answer"
SOURCES = ANSWER_FIXTURES / "sources"
EVIDENCE = ANSWER_FIXTURES / "evidence"
GOLDEN = ANSWER_FIXTURES / "golden"

#: name → (intent the question must be read as, question)
CASES: dict[str, tuple[Intent, str]] = {
    "management": (Intent.MANAGEMENT, "What are the treatments for kidney stones?"),
    "initial_management": (Intent.INITIAL_MANAGEMENT, "What is the initial management of kidney stones?"),
    "meaning": (Intent.MEANING, "What does blood in the urine mean?"),
    "diagnosis": (Intent.DIAGNOSIS, "How is hematuria diagnosed?"),
    "causes": (Intent.CAUSES, "What causes hypoglycemia?"),
    "symptoms": (Intent.SYMPTOMS, "What are the symptoms of hypoglycemia?"),
    "prognosis": (Intent.PROGNOSIS, "What is the outlook for Fahr's syndrome?"),
    "prevention": (Intent.PREVENTION, "How can kidney stones be prevented?"),
    "medication": (Intent.MEDICATION, "What is glucagon used for?"),
    "comparison": (Intent.COMPARISON, "What is the difference between ureteroscopy and shock wave lithotripsy?"),
    "general": (Intent.GENERAL, "What is hypoglycemia?"),
}

AUDIENCES = (Audience.CLINICIAN, Audience.PATIENT)


def source_paths() -> list[Path]:
    return [*sorted((SOURCES / "medquad").glob("*.xml")), SOURCES / "pubmedqa_subset.json"]


def evidence_path(name: str, audience: Audience) -> Path:
    return EVIDENCE / f"{name}.{audience.value}.json"


def golden_path(name: str, audience: Audience) -> Path:
    return GOLDEN / f"{name}.{audience.value}.md"


def load_hits(name: str, audience: Audience) -> list[SearchHit]:
    data = json.loads(evidence_path(name, audience).read_text(encoding="utf-8"))
    return [SearchHit.model_validate(h) for h in data["hits"]]


def nearest(settings: Settings, mode: Literal["off", "on_subject", "any"]) -> Settings:
    """``settings`` with ``answer.nearest`` set to ``mode`` ("off": what the composers quote, without the closest
    statements of the retrieved passages the default adds; tests/answer/test_nearest.py tests those)."""
    return settings.model_copy(update={"answer": settings.answer.model_copy(update={"nearest": mode})})


def service_over(root: Path, embedder: Embedder, paths: Sequence[Path], *, composed_only: bool = False) -> AnswerService:
    """An answer service over a knowledge base of these fixture files alone (in ``root``), no starter pack; with
    ``composed_only``, its answers are what the composers quote, without the closest statements of the retrieved
    passages that ``answer.nearest`` adds by default (tests/answer/test_nearest.py tests those)."""
    settings = Settings(data_dir=root / "data", starter_pack=False)
    if composed_only:
        settings = nearest(settings, "off")
    kb = KnowledgeBase(settings, embedder=embedder)
    report = kb.ingest(read_paths(paths))
    assert not report.problems, report.problems
    return AnswerService(settings, kb)
