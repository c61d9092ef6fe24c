"""Golden answers: each intent plan × each audience, composed from frozen real evidence.

Regenerate after a deliberate change with ``CURBSIDE_UPDATE_GOLDEN=1 python -m pytest
tests/answer/test_golden.py`` and read the diff: the Markdown files are meant to be reviewed. A
regenerating run still fails for every file it rewrote, so a run never passes by rewriting its own
expectations; the next plain run passes once the new files are committed.
"""

from __future__ import annotations

import os

import pytest
from tests.answer.cases import AUDIENCES, CASES, golden_path, load_hits

from curbside.answer.base import Evidence
from curbside.answer.citations import validate
from curbside.answer.compose.extractive import ExtractiveComposer
from curbside.answer.render import render_markdown
from curbside.answer.service import AnswerService
from curbside.answer.understand.analysis import analyze
from curbside.answer.understand.plans import plan_for
from curbside.domain import Audience
from curbside.settings import Settings

UPDATE = os.environ.get("CURBSIDE_UPDATE_GOLDEN") == "1"
PARAMS = [pytest.param(name, audience, id=f"{name}-{audience.value}") for name in CASES for audience in AUDIENCES]
#: Cases whose frozen evidence has no source about the subject: the golden answer is the abstention that
#: says so (a medicine question with no label or page on the medicine names the command that adds one).
ABSTAINS = {"medication": "curbside kb pull dailymed glucagon"}


@pytest.mark.parametrize(("name", "audience"), PARAMS)
def test_golden_markdown(name: str, audience: Audience, settings: Settings) -> None:
    intent, question = CASES[name]
    answer = AnswerService(settings).answer_from_hits(question, load_hits(name, audience), audience=audience)
    assert answer.intent == intent
    if name in ABSTAINS:
        assert answer.abstained and ABSTAINS[name] in answer.abstain_reason
    else:
        assert not answer.abstained, answer.abstain_reason
    markdown = render_markdown(answer)
    path = golden_path(name, audience)
    before = path.read_text(encoding="utf-8") if path.exists() else None
    if UPDATE and markdown != before:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown, encoding="utf-8")
        pytest.fail(f"rewrote {path.name}: review the diff, then run again without CURBSIDE_UPDATE_GOLDEN")
    assert before is not None, f"missing golden {path.name}; run with CURBSIDE_UPDATE_GOLDEN=1"
    assert markdown == before


@pytest.mark.parametrize(("name", "audience"), PARAMS)
def test_golden_answers_are_grounded(name: str, audience: Audience) -> None:
    """Every statement is quoted from a passage it cites; sections come from the plan, in its order."""
    _intent, question = CASES[name]
    analysis = analyze(question, audience)
    evidence = [Evidence(i + 1, hit) for i, hit in enumerate(load_hits(name, audience))]
    answer = ExtractiveComposer().compose(analysis, evidence)
    assert validate(answer, evidence, verbatim=True) == []
    assert answer.bottom_line.text and answer.sections
    values = ExtractiveComposer._heading_values(analysis)
    planned = [spec.heading_for(values) for spec in plan_for(analysis.intent, audience).sections]
    headings = [section.heading for section in answer.sections]
    assert headings == [h for h in planned if h in headings], "planned headings, in plan order"
    for section in answer.sections:
        assert 1 <= len(section.items) <= 5


def test_patient_and_clinician_answers_differ(settings: Settings) -> None:
    service = AnswerService(settings)
    question = CASES["management"][1]
    patient = service.answer_from_hits(question, load_hits("management", Audience.PATIENT), audience="patient")
    clinician = service.answer_from_hits(question, load_hits("management", Audience.CLINICIAN))
    assert patient.title == "Treating Kidney Stones" and clinician.title == "Management of Kidney Stones"
    assert all(ref.type == "Patient education" for ref in patient.references)
    assert patient.provenance.readability_grade is not None
    assert patient.disclaimer != clinician.disclaimer
    assert {s.heading for s in patient.sections} != {s.heading for s in clinician.sections}
