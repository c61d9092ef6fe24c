"""`consult import` (issue 25, item 4): the whole file is validated before anything is stored, the
import is one transaction, and a re-run adds nothing (idempotent by a consult's key)."""

from __future__ import annotations

import json

import pytest

from curbside.consult.models import ConsultState, MoreInfoState
from curbside.consult.service import ConsultService
from curbside.errors import InputError


def _line(question: str, reply: str | None = None, **extra: object) -> str:
    record: dict[str, object] = {"question": question, "age_band": "40-49", "sex": "female",
                                 "asked_on": "2023-05-02", **extra}
    record["replies"] = [{"doctor": "Dr. Kim", "text": reply, "replied_on": "2023-05-03"}] if reply else []
    return json.dumps(record)


GOOD = [
    _line("I get heartburn after dinner most nights. What are gallstones and can they cause it?",
          "Gallstones are hard particles that develop in the gallbladder."),
    _line("My mother keeps waking with a dry mouth. Is it something to worry about?"),
]


def test_a_bad_line_stops_the_import_before_anything_is_stored(service: ConsultService) -> None:
    with pytest.raises(InputError, match="Line 3"):
        service.import_lines([*GOOD, '{"question": "too short", "age_band": "40-49", "sex": "female"}'])
    assert service.store.find(limit=100) == []
    assert service.kb.store.source("consult:1") is None and service.kb.store.passage_count() > 0
    with pytest.raises(InputError, match="Line 2"):
        service.import_lines([GOOD[0], json.dumps({"question": "A question whose replies are not a list.",
                                                   "age_band": "40-49", "sex": "female",
                                                   "replies": "not a list"})])
    assert service.store.find(limit=100) == []


def test_a_re_run_adds_nothing(service: ConsultService) -> None:
    first = service.import_lines(GOOD, more_info=False)
    assert len(first) == 2
    assert service.import_lines(GOOD, more_info=False) == []
    keyed = [_line("Does coffee make reflux worse at night for most adults?", id="clinic-77")]
    assert len(service.import_lines(keyed, more_info=False)) == 1
    edited = [_line("Does coffee make reflux worse at night for most adults, doctor?", id="clinic-77")]
    assert service.import_lines(edited, more_info=False) == []  # the archive's id is the key
    states = sorted(c.state for c in service.store.find(limit=100))
    assert states == sorted([ConsultState.PUBLISHED, ConsultState.AWAITING_REPLY, ConsultState.AWAITING_REPLY])


def test_published_imports_with_more_info_are_queued_until_composed(service: ConsultService) -> None:
    def crash(_ids: list[int], **_: object) -> None:
        raise RuntimeError("killed during publication")

    service.publish, real = crash, service.publish  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        service.import_lines(GOOD[:1])
    service.publish = real  # type: ignore[method-assign]
    (consult,) = service.store.find(limit=100)
    assert consult.more_info_state == MoreInfoState.PENDING
    assert service.publish_pending() == 1
    assert service.store.get(consult.id).more_info_state in (MoreInfoState.PUBLISHED, MoreInfoState.HELD)
    assert service.kb.store.source(f"consult:{consult.id}") is not None


def test_two_consults_with_one_key_in_a_file_import_nothing(service: ConsultService) -> None:
    """Two different records claiming one key: the file is refused, naming both lines."""
    first = _line("I get heartburn after dinner most nights. What are gallstones?", id="c-1")
    second = _line("My mother keeps waking with a dry mouth. Is it something to worry about?", id="c-1")
    with pytest.raises(InputError, match="Lines 1 and 2 have the same key"):
        service.import_lines([first, second])
    assert service.store.find(limit=100) == []
