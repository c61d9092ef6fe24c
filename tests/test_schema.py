"""Every table declared in code is what the migrations build (Alembic's compare_metadata).

All table modules (``curbside.tables``) against a database upgraded to head, on SQLite and on
PostgreSQL: no table, column, type, nullability, index, unique constraint or foreign key in one
and not the other.
"""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine

import curbside.tables  # noqa: F401  (declares every table on the metadata)
from curbside.db import get_engine, metadata
from curbside.settings import Settings


def _differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_sqlite_schema_matches_every_declared_table(settings: Settings) -> None:
    engine = get_engine(settings.resolved_database_url)
    assert {"kb_sources", "answer_threads", "articles", "users"} <= set(metadata.tables)
    assert _differences(engine) == []


@pytest.mark.postgres
def test_postgres_schema_matches_every_declared_table(pg_url: str) -> None:
    assert _differences(get_engine(pg_url)) == []
