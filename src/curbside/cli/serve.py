"""``curbside serve``: the web pages and the JSON API, with uvicorn (one or several workers).

One worker (the default) serves from this process. ``--workers N`` starts N uvicorn worker
processes on one socket, each building the app from the same settings (the environment); the
state they share lives in the database (articles, sessions, rate-limit counters), so it is the
production command with PostgreSQL (``database_url``). Metrics of every worker are gathered
through a prometheus-client multiprocess directory under the data directory, emptied at start.
"""

from __future__ import annotations

import inspect
import os
import shutil
from pathlib import Path
from typing import Annotated

import typer

from curbside.cli.ui import console, handle_errors, show_notices
from curbside.db import get_engine
from curbside.errors import ConfigError
from curbside.metrics import MULTIPROC_ENV
from curbside.settings import Settings, load_settings

APP_FACTORY = "curbside.web.app:create_app"
#: Seconds a worker may take to answer uvicorn's liveness ping (uvicorn's default is 5). A spawned
#: worker imports this command's module again before it can answer (the de-identification models'
#: libraries: 15 s at a load of 5 on two cores), and a worker killed as hung while it starts is
#: started again the same way: "Child process died" for ever, nothing served.
WORKER_HEALTHCHECK_S = 180


def prepare_metrics_dir(settings: Settings) -> Path:
    """An empty prometheus-client multiprocess directory, named in the environment for workers."""
    path = Path(os.environ.get(MULTIPROC_ENV) or settings.data_dir / "prometheus")
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    os.environ[MULTIPROC_ENV] = str(path)
    return path


def check_workers(settings: Settings, workers: int) -> None:
    """Several workers need a store they can all write: PostgreSQL, not a Milvus Lite file."""
    cfg = settings.retrieval
    if workers > 1 and cfg.backend == "milvus" and (not cfg.milvus_uri or cfg.milvus_uri.endswith(".db")):
        raise ConfigError(
            "Milvus Lite serves one process per file, so it cannot back several workers. Fix: "
            "set retrieval.milvus_uri to a Milvus server, use the embedded backend, or --workers 1.")


def _first_run(settings: Settings) -> None:
    """Migrations, the starter pack and the index health, once, before any worker starts (each
    worker checks again under the same lock and finds the work done)."""
    from curbside.errors import IndexUnavailableError
    from curbside.kb.service import KnowledgeBase
    from curbside.kb.startup import prepare

    try:
        prepare(KnowledgeBase(settings))
    except IndexUnavailableError as exc:  # the workers serve, and searches answer 503 naming the repair
        console.print(f"curbside: {exc.message}", highlight=False)


@handle_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default: web.host).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port to bind (default: web.port).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, max=64, help="Worker processes (default: web.workers). Production: 2 or more, on PostgreSQL.")] = None,
) -> None:
    """Serve the article library, the reviewer dashboard and the JSON API (described at /openapi.json).

    On first start the bundled starter knowledge base is installed (when starter_pack is on).
    Logs go to stderr as JSON lines with a request id; /healthz, /readyz and /metrics are for
    probes and Prometheus.
    """
    import uvicorn

    from curbside.logs import configure_json_logging
    from curbside.web.app import create_app

    show_notices()  # also when serve() is called without the root callback
    settings = load_settings()
    bind_host = host or settings.web.host
    bind_port = port or settings.web.port
    get_engine(settings.resolved_database_url)  # a damaged database is one line here, not a traceback
    count = workers or settings.web.workers
    check_workers(settings, count)
    console.print(f"curbside: serving on http://{bind_host}:{bind_port} with {count} worker(s) "
                  f"(data in {settings.data_dir})", highlight=False)
    configure_json_logging()
    options: dict[str, object] = {"host": bind_host, "port": bind_port, "log_config": None,
                                  "access_log": False, "proxy_headers": settings.web.proxy_headers,
                                  "forwarded_allow_ips": settings.web.forwarded_allow_ips,
                                  "timeout_graceful_shutdown": 30}
    if count == 1:
        uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
        return
    if not settings.database_url:
        console.print("curbside: several workers on SQLite work, but PostgreSQL is the "
                      "production store (database_url)", highlight=False)
    prepare_metrics_dir(settings)
    _first_run(settings)
    if "timeout_worker_healthcheck" in inspect.signature(uvicorn.run).parameters:  # uvicorn 0.36+
        options["timeout_worker_healthcheck"] = WORKER_HEALTHCHECK_S
    # Workers are separate processes: they load the app from its import path (a factory).
    uvicorn.run(APP_FACTORY, factory=True, workers=count, **options)  # type: ignore[arg-type]
