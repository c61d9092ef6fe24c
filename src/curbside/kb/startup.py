"""First-run work, once per database: migrations, the starter pack, the indexes' health.

Several processes start together (``serve --workers N``, containers sharing one PostgreSQL):
the first-run work must run once, not once per worker. :func:`first_run_lock` serialises it —
a PostgreSQL session advisory lock when the database is PostgreSQL (it ends with the session,
so a killed process frees it), a file lock under the data directory on SQLite — and
:func:`prepare` runs it inside: the migrations (``db.get_engine``), the starter pack (skipped
when installed), then :func:`curbside.kb.health.ensure_healthy`. ``serve`` calls it in the parent
process before the workers fork; each worker calls it again at start, which finds the work done.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock
from sqlalchemy import text

from curbside.db import get_engine
from curbside.kb import packs
from curbside.kb.health import IndexReport, ensure_healthy
from curbside.kb.service import KnowledgeBase
from curbside.progress import SILENT, Progress
from curbside.settings import Settings

log = logging.getLogger(__name__)

#: PostgreSQL advisory lock key held during first-run work ("cbst" in ASCII).
FIRST_RUN_LOCK = 0x63627374


@contextmanager
def first_run_lock(settings: Settings) -> Iterator[None]:
    """Hold the installation-wide first-run lock (other processes wait for it)."""
    engine = get_engine(settings.resolved_database_url)  # migrates first (under its own lock)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": FIRST_RUN_LOCK})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": FIRST_RUN_LOCK})
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(settings.data_dir / "first-run.lock")):
        yield


def prepare(kb: KnowledgeBase, *, progress: Progress = SILENT) -> list[IndexReport]:
    """Install the starter pack (when configured and not installed yet) and make the indexes agree
    with the database, once across processes. Raises IndexUnavailableError when they cannot."""
    with first_run_lock(kb.settings):
        if kb.settings.starter_pack:
            log.info("checking the starter knowledge pack (the first start installs it)")
            if packs.ensure_starter_pack(kb, progress=progress):
                log.info("starter knowledge pack installed")
        return ensure_healthy(kb)
