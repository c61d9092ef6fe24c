"""Database engines and migrations: SQLite by default, PostgreSQL through the same code."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Table,
    create_engine,
    event,
    make_url,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import SchemaItem

from curbside.errors import ConfigError, DatabaseUnusableError, MissingExtraError

#: Every table of every part of curbside is declared on this one metadata.
metadata = MetaData()

#: Row ids: BIGINT, but INTEGER on SQLite (only an INTEGER primary key counts up by itself there).
ROW_ID = BigInteger().with_variant(Integer, "sqlite")


def id_column(name: str = "id") -> Column[Any]:
    """A table's own key: a row id the database counts up."""
    return Column(name, ROW_ID, primary_key=True, autoincrement=True)


def id_table(name: str, *columns: SchemaItem, **options: Any) -> Table:
    """A table on the shared metadata keyed by ``id`` (:func:`id_column`), then ``columns``."""
    return Table(name, metadata, id_column(), *columns, **options)


def row_ref(name: str, target: str, *, ondelete: str, **options: Any) -> Column[Any]:
    """A row id of another table (``target`` as ``"users.id"``) and what its removal does here."""
    return Column(name, ROW_ID, ForeignKey(target, ondelete=ondelete), **options)


def timestamp(name: str, *, nullable: bool = False, **options: Any) -> Column[Any]:
    """A time with its zone (curbside writes UTC; SQLite keeps none, so reads re-attach it)."""
    return Column(name, DateTime(timezone=True), nullable=nullable, **options)

#: PostgreSQL advisory lock key held while migrating ("curb" in ASCII).
MIGRATION_LOCK = 0x63757262
_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_migrated: set[str] = set()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; SQLite files get WAL and foreign keys, parents are created."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql"):
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise MissingExtraError("postgres", "psycopg") from exc
        return create_engine(url, pool_pre_ping=True)
    raise ConfigError(f"Unsupported database_url {url!r}: use sqlite:///PATH or postgresql+psycopg://…")


def get_engine(url: str, *, migrate: bool = True) -> Engine:
    """A shared engine for ``url``, migrated to the newest schema on first use."""
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
        if migrate and url not in _migrated:
            try:
                upgrade(engine)
            except DBAPIError as exc:
                raise unusable(url, exc) from None
            _migrated.add(url)
        return engine


def unusable(url: str, exc: DBAPIError) -> DatabaseUnusableError:
    """One line naming the database and what to do (no driver traceback)."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        return DatabaseUnusableError(
            f"The database file {path} cannot be used ({reason}). Restore it from a backup, or "
            "move it aside to start with an empty one (then add sources again with "
            "`curbside kb add`).", details={"path": path, "reason": reason})
    where = make_url(url).render_as_string(hide_password=True)
    return DatabaseUnusableError(
        f"The database {where} cannot be used ({reason}). Check that the server is running and "
        "database_url is right.", details={"url": where, "reason": reason})


def dispose_engines() -> None:
    """Close every shared engine (tests, shutdown)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _migrated.clear()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations shipped in ``curbside/migrations`` up to ``revision``."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Workers starting together migrate one at a time; the lock ends with the transaction.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)
