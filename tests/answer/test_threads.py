"""Threads on the shared metadata, created by migration 0002, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from curbside.answer.threads.store import ThreadStore
from curbside.answer.understand.analysis import analyze
from curbside.db import get_engine
from curbside.errors import InputError, NotFoundError


def test_turns_are_kept_in_order(database_url: str) -> None:
    engine = get_engine(database_url)
    assert {"answer_threads", "answer_turns"} <= set(inspect(engine).get_table_names())
    store = ThreadStore(engine)
    thread = store.create("clinician")
    assert store.exists(thread) and store.last_turn(thread) is None
    first = analyze("What are the treatments for kidney stones?")
    assert store.add_turn(thread, first) == 0
    second = analyze("what about in children?", previous=store.last_turn(thread).as_prior())  # type: ignore[union-attr]
    assert store.add_turn(thread, second) == 1
    turns = store.turns(thread)
    assert [t.position for t in turns] == [0, 1]
    assert turns[1].topic == "kidney stones in children" and turns[1].entities.population == "children"
    assert turns[0].as_prior().intent == first.intent


def test_unknown_or_malformed_thread(database_url: str) -> None:
    store = ThreadStore(get_engine(database_url))
    with pytest.raises(NotFoundError, match="No thread"):
        store.require("0123456789ab")
    with pytest.raises(InputError):
        store.require("x" * 80)
