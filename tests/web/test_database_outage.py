"""The database going away under a running app (PostgreSQL restarting): requests get 503 with
Retry-After instead of 500, and the app recovers by itself once it is back. Real PostgreSQL:
connections to the test database are refused and cut, then allowed again."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from curbside.settings import Settings, WebSettings
from curbside.web.app import create_app
from tests.conftest import PG_ADMIN_URL

pytestmark = pytest.mark.postgres


def _allow(database: str, allowed: bool) -> None:
    admin = PG_ADMIN_URL.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = %s AND pid <> pg_backend_pid()", (database,))


def test_outage_is_a_503_and_the_app_recovers(pg_url: str, tmp_path: Path) -> None:
    database = pg_url.rsplit("/", 1)[1]
    settings = Settings(data_dir=tmp_path / "data", database_url=pg_url, starter_pack=False,
                        web=WebSettings(secret_key="outage-test"))
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/articles/recent").status_code == 200
        _allow(database, False)
        try:
            down = client.get("/api/v1/articles/recent")
            assert down.status_code == 503
            assert down.headers["Retry-After"] == "2"
            assert down.json()["error"]["code"] == "database_unavailable"
            ready = client.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["checks"]["database"]["ok"] is False
            for shown in (ready.text, down.text):  # the failing part is named, not its address
                for secret in (database, "127.0.0.1", "5432", "localhost"):
                    assert secret not in shown, shown
            assert client.get("/healthz").status_code == 200  # the process itself is fine
        finally:
            _allow(database, True)
        assert client.get("/api/v1/articles/recent").status_code == 200
        assert client.get("/readyz").status_code == 200
