"""Alembic environment: runs on the connection handed in by curbside.db.upgrade."""

from __future__ import annotations

from alembic import context

import curbside.tables  # noqa: F401  (declares every table on the metadata)
from curbside.db import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only via `alembic` command line
    raise RuntimeError("Run migrations through curbside.db.upgrade (or `curbside db upgrade`).")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
