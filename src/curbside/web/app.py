"""The app factory: pages, the JSON API under /api/v1, static files, error handlers.

``create_app()`` builds the app for the settings in force: its middleware (``web/middleware.py``,
``web/observability.py``, sessions), routers and error handlers. On startup it builds the services
(``web/composition.py``: the knowledge base with the starter pack when ``settings.starter_pack`` is
true, the article, consult and user services) unless given them, and starts the background threads.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware

from curbside import __version__
from curbside.metrics import WORKERS_UP
from curbside.settings import Settings, load_settings
from curbside.web.composition import build_services
from curbside.web.dependencies import Services, check_api_csrf
from curbside.web.handlers import install_error_handlers
from curbside.web.middleware import SESSION_COOKIE, SecurityHeaders
from curbside.web.observability import RequestObserver
from curbside.web.page_cache import PageCache
from curbside.web.routers import ops
from curbside.web.routers.api import articles as api_articles
from curbside.web.routers.api import auth as api_auth
from curbside.web.routers.api import consults as api_consults
from curbside.web.routers.api import review as api_review
from curbside.web.routers.pages import articles as page_articles
from curbside.web.routers.pages import auth as page_auth
from curbside.web.routers.pages import consults as page_consults
from curbside.web.routers.pages import review as page_review
from curbside.web.routers.pages import site as page_site
from curbside.web.security import session_secret

STATIC = Path(__file__).parent / "static"

DESCRIPTION = """Evidence-backed medical articles with grounded citations, reviewed by a medical
advisory board. Informational only; not medical advice.

Every error has one shape: `{"error": {"code", "message", "status", "retryable", "details"}}`.
Reviewer endpoints need a session: `POST /api/v1/login` sets the cookie."""


def mark_worker_gone() -> None:
    """Tell prometheus-client's multiprocess collector this worker is gone (its live gauges
    stop counting). A worker killed outright cannot: its last values stay until ``serve``
    restarts and empties the directory."""
    import os

    from prometheus_client import multiprocess

    from curbside.metrics import MULTIPROC_ENV

    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> FastAPI:
    """The curbside web app. ``services`` replaces the real ones (tests of logic only)."""
    settings = settings or (services.settings if services else load_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        frozen = False
        if getattr(app.state, "services", None) is None:
            app.state.services = await run_in_threadpool(build_services, settings)
            # The libraries and models loaded by now are half a million objects that live as long as
            # the worker; a full garbage collection walked them all (0.3 s, every request of the
            # worker waiting: the p99 of page reads). Out of the collector's way from here on.
            gc.collect()
            gc.freeze()
            frozen = True
        runner = getattr(app.state.services.articles, "runner", None)
        if runner is not None:  # this worker takes generation jobs from the shared queue
            runner.start()
        maintainer = getattr(app.state.services, "maintainer", None)
        if maintainer is not None:  # index health, catch-up and queued KB work, off the requests
            maintainer.start()
        WORKERS_UP.inc()  # this worker is up: uvicorn accepts its connections from here on
        yield
        WORKERS_UP.dec()
        if maintainer is not None:
            await run_in_threadpool(maintainer.stop)
        if runner is not None:
            await run_in_threadpool(runner.stop)
        if frozen:
            gc.unfreeze()  # an app built again in the same process (tests) leaves nothing behind
        mark_worker_gone()

    app = FastAPI(
        title=f"{settings.web.site_name} API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # no Swagger UI: it would load scripts from a CDN past the CSP
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.services = services
    app.state.page_cache = PageCache(settings.web.page_cache_size,
                                     fresh_s=settings.web.page_fresh_s)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie=SESSION_COOKIE,
        max_age=settings.web.session_max_hours * 3600,
        same_site="lax",
        https_only=settings.web.secure_cookies == "always",
    )
    app.add_middleware(SecurityHeaders, secure_cookies=settings.web.secure_cookies)
    app.add_middleware(RequestObserver)  # outermost: times and tags everything below
    install_error_handlers(app)
    for module in (api_articles, api_review, api_auth, api_consults):
        app.include_router(module.router, prefix="/api/v1", dependencies=[Depends(check_api_csrf)])
    app.include_router(ops.router)
    for page in (page_site, page_articles, page_review, page_auth, page_consults):
        app.include_router(page.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
