"""Several workers start at once on a fresh PostgreSQL database: each migrates it on first use,
and they must not trip over one another (one waits for the other's migration, then finds the
schema current). Real processes, real PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.postgres

_MIGRATE = """
import sys, time
from curbside.db import get_engine
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
get_engine(sys.argv[1])
print("ok")
"""


def test_four_processes_migrating_one_fresh_database_at_once(pg_url: str) -> None:
    import time

    start = str(time.time() + 3.0)  # every process is imported and waiting by then
    processes = [subprocess.Popen([sys.executable, "-c", _MIGRATE, pg_url, start],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=dict(os.environ)) for _ in range(4)]
    results = [p.communicate(timeout=120) for p in processes]
    for process, (out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0 and out.strip() == "ok", err[-2000:]
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        heads = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    engine.dispose()
    assert len(heads) == 1
