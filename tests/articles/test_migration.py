"""Migrations 0003 and 0004 create exactly the tables declared in articles/tables.py and accounts/tables.py, and
can be undone."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from curbside import db
from curbside.accounts import tables as accounts
from curbside.articles import tables
from curbside.db import get_engine, upgrade
from curbside.settings import Settings

ARTICLE_TABLES = [accounts.users, tables.articles, tables.versions, tables.review_events,
                  accounts.sessions, tables.kb_outbox]


def test_migration_matches_the_declared_tables(art_settings: Settings) -> None:
    engine = get_engine(art_settings.resolved_database_url)
    found = inspect(engine)
    for table in ARTICLE_TABLES:
        columns = {c["name"]: c for c in found.get_columns(table.name)}
        assert set(columns) == {c.name for c in table.columns}, table.name
        for column in table.columns:
            assert columns[column.name]["nullable"] == column.nullable, (table.name, column.name)
        declared_fks = {(fk.parent.name, fk.column.table.name) for fk in table.foreign_keys}
        reflected_fks = {(fk["constrained_columns"][0], fk["referred_table"])
                         for fk in found.get_foreign_keys(table.name)}
        assert reflected_fks == declared_fks, table.name
    uniques = {tuple(u["column_names"]) for u in found.get_unique_constraints("article_versions")}
    assert ("article_id", "audience", "number") in uniques
    indexes = {i["name"] for i in found.get_indexes("article_versions")}
    assert "ix_article_versions_article" in indexes


def test_downgrade_to_0002_and_back(art_settings: Settings) -> None:
    engine = get_engine(art_settings.resolved_database_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(db.__file__).parent / "migrations"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0002")
    names = set(inspect(engine).get_table_names())
    assert not names & {t.name for t in ARTICLE_TABLES} and "answer_threads" in names
    upgrade(engine)
    assert {t.name for t in ARTICLE_TABLES} <= set(inspect(engine).get_table_names())
