"""Section-typed evidence: every passage records what its section gives (``domain.InfoType``).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kb_passages") as batch:
        batch.add_column(sa.Column("section_type", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kb_passages") as batch:
        batch.drop_column("section_type")
