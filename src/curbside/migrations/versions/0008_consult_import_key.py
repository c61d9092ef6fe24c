"""Consult import is idempotent: each imported consult records its key (unique).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consults") as batch:
        batch.add_column(sa.Column("import_key", sa.String(64), nullable=True))
        batch.create_index("ix_consults_import_key", ["import_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("consults") as batch:
        batch.drop_index("ix_consults_import_key")
        batch.drop_column("import_key")
