"""``curbside serve``: the web pages and the JSON API, with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from curbside.cli.ui import console, handle_errors, show_notices
from curbside.db import get_engine
from curbside.settings import load_settings


@handle_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default: web.host).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port to bind (default: web.port).")] = None,
) -> None:
    """Serve the article library, the reviewer dashboard and the JSON API (described at /openapi.json).

    On first start the bundled starter knowledge base is installed (when starter_pack is on).
    """
    import uvicorn

    from curbside.web.app import create_app

    show_notices()  # also when serve() is called without the root callback
    settings = load_settings()
    bind_host = host or settings.web.host
    bind_port = port or settings.web.port
    get_engine(settings.resolved_database_url)  # a damaged database is one line here, not a traceback
    console.print(f"curbside: serving on http://{bind_host}:{bind_port} (data in {settings.data_dir})", highlight=False)
    uvicorn.run(create_app(settings), host=bind_host, port=bind_port, log_level="info", proxy_headers=False)
