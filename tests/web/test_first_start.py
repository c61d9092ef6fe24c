"""`curbside serve --workers 2` on an empty PostgreSQL database: the first-run work (migrations,
the starter pack, the indexes) runs once, under a lock, and both workers serve."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from curbside.domain import Section, Source, SourceDocument, SourceKind
from curbside.ingest.chunking import Chunker
from curbside.kb.packs import write_pack
from curbside.retrieval.embedder import Embedder
from tests.web.workers import serving

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

_SOURCES = 400  # enough rows that two installs running together would collide


def _pack(out: Path, embedder: Embedder) -> Path:
    chunker = Chunker()
    items = []
    for i in range(_SOURCES):
        document = SourceDocument(
            source=Source(id=f"firststart:{i}", kind=SourceKind.PATIENT_EDUCATION,
                          title=f"Placeholder page {i}", collection="firststart"),
            sections=[Section(headings=["Overview"], text=f"This placeholder page number {i} is a test.")])
        items.append((document, chunker.chunk(document)))
    vectors = embedder.embed([p.context_text for _, ps in items for p in ps])
    write_pack(out, "firststart", "1", items, vectors, chunker=chunker.version,
               embedding_model=embedder.name, licenses={"LICENSE.txt": "test"}, description="test")
    return out


def test_two_workers_start_on_an_empty_postgres_database_and_install_the_pack_once(
        pg_url: str, tmp_path: Path, embedder: Embedder) -> None:
    pack = _pack(tmp_path / "pack", embedder)
    data = tmp_path / "data"
    with serving(data, pg_url, workers=2, CURBSIDE_STARTER_PACK="true",
                 CURBSIDE_STARTER_PACK_PATH=str(pack)) as base:
        pids: set[str] = set()
        for _ in range(200):  # new connections: the kernel spreads them over both workers (slowly, when loaded)
            with httpx.Client(base_url=base, timeout=30) as client:
                assert client.get("/readyz").status_code == 200
            pids = {p.stem.rsplit("_", 1)[-1] for p in (data / "prometheus").glob("histogram_*.db")}
            if len(pids) == 2:
                break
        assert len(pids) == 2, pids  # both workers started and served
    log = next(tmp_path.glob("serve-*.log")).read_text()
    assert "Application startup failed" not in log and "UniqueViolation" not in log
    assert "died" not in log, log[-3000:]  # no worker killed as hung while it started (cli/serve.py)
    assert log.count("starter knowledge pack installed") == 1, log[-3000:]
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        sources = conn.execute(text("SELECT count(*) FROM kb_sources")).scalar_one()
    engine.dispose()
    assert sources == _SOURCES
