"""Migration 0005 and the consult workflow on SQLite and PostgreSQL (real servers, no fakes)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from curbside import db
from curbside.accounts.models import Role
from curbside.accounts.users import UserService
from curbside.answer.service import AnswerService
from curbside.consult import tables
from curbside.consult.models import ConsultRequest, ConsultState, MoreInfoState
from curbside.consult.service import ConsultService
from curbside.db import get_engine, upgrade
from curbside.ingest.registry import read_paths
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings
from tests.consult.conftest import PASSWORD, fixture_pages

CONSULT_TABLES = [tables.consults, tables.consult_replies, tables.consult_events]


def test_migration_matches_the_declared_tables_and_can_be_undone(tmp_path: Path, database_url: str) -> None:
    engine = get_engine(Settings(data_dir=tmp_path / "data", database_url=database_url).resolved_database_url)
    found = inspect(engine)
    for table in CONSULT_TABLES:
        columns = {c["name"]: c for c in found.get_columns(table.name)}
        assert set(columns) == {c.name for c in table.columns}, table.name
        for column in table.columns:
            assert columns[column.name]["nullable"] == column.nullable, (table.name, column.name)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(db.__file__).parent / "migrations"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0003")
    assert not set(inspect(engine).get_table_names()) & {t.name for t in CONSULT_TABLES}
    upgrade(engine)
    assert {t.name for t in CONSULT_TABLES} <= set(inspect(engine).get_table_names())


def test_the_workflow_on_each_database(tmp_path: Path, database_url: str, embedder: Embedder) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, starter_pack=False)
    kb = KnowledgeBase(settings, embedder=embedder)
    kb.ingest(read_paths(fixture_pages()))
    service = ConsultService(settings, AnswerService(settings, kb=kb), kb=kb)
    users = UserService(settings)
    editor = users.add("okafor", PASSWORD, role=Role.EDITOR, display_name="Chidi Okafor")
    doctor = users.add("drke", PASSWORD, role=Role.REVIEWER, display_name="Ke Fangxu", specialty="Surgery")
    consult = service.ask(ConsultRequest(question="My mouth is dry at night, I am Chen Wei-Ting. What causes dry mouth?",
                                         age_band="60-69", sex="male"))
    service.moderate(consult.id, "approve", actor=editor)
    published = service.reply(consult.id, "This is benign and does not require any follow-up.", doctor=doctor)
    assert published.state == ConsultState.PUBLISHED and "[NAME]" in published.question
    assert published.more_info_state in (MoreInfoState.PUBLISHED, MoreInfoState.HELD)
    assert kb.store.source(f"consult:{consult.id}") is not None
    assert [e["action"] for e in service.events(consult.id)] == ["approve", "reply"]
    assert len(list(service.export_lines())) == 1


def test_related_faq_labels_read_only_the_consults_on_those_topics(tmp_path: Path, database_url: str) -> None:
    from datetime import date

    from curbside.consult.faq import specialty_by_topic
    from curbside.consult.models import Consult, Reply
    from curbside.consult.store import ConsultStore

    store = ConsultStore(get_engine(Settings(data_dir=tmp_path / "data", database_url=database_url)
                                    .resolved_database_url))

    def consult(topics: list[str], specialties: list[str], state: ConsultState = ConsultState.PUBLISHED) -> None:
        new = store.create(Consult(title="t", question="q", age_band="40-49", sex="female",
                                   asked_on=date(2024, 1, 1), state=state, topics=topics))
        for specialty in specialties:
            store.add_reply(new, Reply(doctor="D", specialty=specialty, text="r", replied_on=date(2024, 1, 2)))

    consult(["Dry Mouth", "Lipoma"], ["Dentistry"])
    consult(["dry mouth"], ["Dentistry", "Otolaryngology"])
    consult(["Dry Mouth"], ["Surgery", "Surgery", "Surgery"], state=ConsultState.SUBMITTED)  # not published
    consult(["100%_sure"], ["Psychiatry"])  # LIKE wildcards in a topic are matched literally
    consult(["100 sure"], ["Surgery"])
    assert specialty_by_topic(store, ["DRY MOUTH"]) == {"dry mouth": "Dentistry"}
    assert specialty_by_topic(store, ["100%_sure"]) == {"100%_sure": "Psychiatry"}
    assert [topics for topics, _ in store.topic_specialties(["lipoma"])] == [["Dry Mouth", "Lipoma"]]
    assert specialty_by_topic(store, []) == {}
