"""Scale-out: rate-limit counters and the generation queue, shared by every worker.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from curbside.migrations.columns import create_id_table, timestamp

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ACTIVE = "state IN ('queued', 'running')"


def upgrade() -> None:
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("window", sa.BigInteger, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("key", "window"),
    )
    create_id_table(
        "generation_jobs",
        sa.Column("dedupe_key", sa.String(100), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("thread_id", sa.String(64)),
        sa.Column("user_id", sa.BigInteger),
        sa.Column("client_key", sa.String(200), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("worker", sa.String(100)),
        sa.Column("attempts", sa.Integer, nullable=False),
        timestamp("created_at"),
        timestamp("started_at", nullable=True),
        timestamp("heartbeat_at", nullable=True),
        timestamp("finished_at", nullable=True),
        sa.Column("slug", sa.String(200)),
        sa.Column("error", sa.Text),
    )
    op.create_index("ix_generation_jobs_active_key", "generation_jobs", ["dedupe_key"],
                    unique=True, postgresql_where=sa.text(_ACTIVE), sqlite_where=sa.text(_ACTIVE))
    op.create_index("ix_generation_jobs_state", "generation_jobs", ["state", "id"])
    create_id_table(
        "generation_job_events",
        sa.Column("job_id", sa.BigInteger, nullable=False, index=True),
        sa.Column("payload", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("generation_job_events")
    op.drop_table("generation_jobs")
    op.drop_table("rate_limits")
