"""Column definitions (and an id-keyed create_table) the migrations share: ``versions/*.py`` import them.

Released migrations are history: what these return must never change, or an old migration would
build a different schema. A migration that needs another column writes it out, or adds a new
helper here.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

#: Row ids: BIGINT, but INTEGER on SQLite (only an INTEGER primary key counts up by itself there).
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def id_column(name: str = "id") -> sa.Column[Any]:
    """The table's key, counted up by the database."""
    return sa.Column(name, ID, primary_key=True, autoincrement=True)


def create_id_table(name: str, *columns: sa.schema.SchemaItem, **options: Any) -> sa.Table:
    """``op.create_table`` for a table keyed by ``id`` (:func:`id_column`), then ``columns``."""
    return op.create_table(name, id_column(), *columns, **options)


def row_ref(name: str, target: str, *, ondelete: str, **options: Any) -> sa.Column[Any]:
    """A row id of ``target`` (``"users.id"``), with what deleting that row does to this one."""
    return sa.Column(name, ID, sa.ForeignKey(target, ondelete=ondelete), **options)


def timestamp(name: str, *, nullable: bool = False, **options: Any) -> sa.Column[Any]:
    """A time with its zone."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, **options)

