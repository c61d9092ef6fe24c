"""The FastAPI application: pages, the JSON API under /api/v1, static files, error handlers.

``create_app()`` builds the app for the settings in force. On startup it opens the knowledge base,
installs the bundled starter pack when ``settings.starter_pack`` is true and it is not installed
yet, and builds the article and user services.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from curbside import __version__
from curbside.accounts.sessions import SessionStore
from curbside.db import get_engine
from curbside.errors import IndexUnavailableError
from curbside.ratelimit import DatabaseRateLimiter
from curbside.settings import Settings, load_settings
from curbside.web.dependencies import ArticlesPort, ConsultsPort, Services, UsersPort, check_api_csrf
from curbside.web.handlers import install_error_handlers
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

log = logging.getLogger("curbside.web")

STATIC = Path(__file__).parent / "static"
LOGIN_ATTEMPTS_PER_MINUTE = 10

DESCRIPTION = """Evidence-backed medical articles with grounded citations, reviewed by a medical
advisory board. Informational only; not medical advice.

Every error has one shape: `{"error": {"code", "message", "status", "retryable", "details"}}`.
Reviewer endpoints need a session: `POST /api/v1/login` sets the cookie."""


def build_services(settings: Settings) -> Services:
    """The real services: knowledge base (plus starter pack if configured), answers, articles."""
    from curbside.accounts.users import UserService
    from curbside.answer.service import AnswerService
    from curbside.articles.service import ArticleService
    from curbside.kb.service import KnowledgeBase
    from curbside.kb.startup import prepare

    kb = KnowledgeBase(settings)
    try:  # once across workers: starter pack, indexes repaired from the database if damaged
        prepare(kb)
    except IndexUnavailableError as exc:  # searches answer 503 naming the repair
        log.error("%s", exc.message)
    from curbside.articles.queued import QueuedArticleService, use_queue
    from curbside.consult.service import ConsultService
    from curbside.kb.readiness import check_readiness

    answers = AnswerService(settings, kb=kb)
    service = QueuedArticleService if use_queue(settings) else ArticleService
    articles = service(settings, answers, kb=kb)
    synced = articles.apply_outbox()  # approvals a crash left out of the knowledge base
    if synced:
        log.info("knowledge base brought up to date for %d approved or retracted article(s)", synced)
    kb.embedder.embed(["warm up"])  # load the model now: /readyz waits for it, the first ask doesn't
    consults = ConsultService(settings, answers, kb=kb)
    services = services_for(settings, articles, UserService(settings), consults=consults)
    services.readiness = lambda: check_readiness(kb)
    from curbside.kb.maintenance import Maintainer

    # Behind a backlog another process wrote, approvals and consult publications (More Info)
    # are left to the background thread; it also finishes those a killed worker left queued.
    articles.defer_kb_sync = True
    consults.defer_publication = True
    services.maintainer = Maintainer(kb, [articles.apply_outbox, consults.publish_pending],
                                     interval_s=settings.web.maintenance_interval_s)
    return services


def services_for(settings: Settings, articles: ArticlesPort, users: UsersPort,
                 consults: ConsultsPort | None = None) -> Services:
    """Services around given article and user services, with this app's sessions and rate limits.

    The one place the rate limiters are made (``curbside.ratelimit``): counted in the database,
    so every worker process sees the same counts.
    """
    engine = get_engine(settings.resolved_database_url)
    return Services(
        settings=settings,
        articles=articles,
        users=users,
        ask_limiter=DatabaseRateLimiter(engine, settings.web.ask_rate_per_minute,
                                        what="questions", scope="ask"),
        login_limiter=DatabaseRateLimiter(engine, LOGIN_ATTEMPTS_PER_MINUTE,
                                          what="sign-in attempts", scope="login"),
        sessions=SessionStore(engine, settings.web),
        consults=consults,
    )


_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


SESSION_COOKIE = "curbside_session"
HSTS = "max-age=31536000; includeSubDomains"


def _over_https(scope: Scope) -> bool:
    """Whether the client reached us over HTTPS: directly, or through a proxy that says so."""
    if scope.get("scheme") == "https":
        return True
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for name, value in headers:
        if name == b"x-forwarded-proto":
            return value.decode("latin-1").split(",")[0].strip().lower() == "https"
    return False


def _has_session_cookie(scope: Scope) -> bool:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    return any(name == b"cookie" and SESSION_COOKIE.encode() in value for name, value in headers)


class SecurityHeaders:
    """Headers on every response: a strict Content-Security-Policy (no inline script), no
    sniffing; over HTTPS, HSTS and Secure cookies (``web.secure_cookies='auto'``); on API
    responses to a signed-in session (or setting one), ``Cache-Control: no-store``."""

    def __init__(self, app: ASGIApp, secure_cookies: str = "auto") -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = _over_https(scope)
        secure = self.secure_cookies == "always" or (self.secure_cookies == "auto" and https)
        api = scope["path"].startswith("/api/")
        signed_in = _has_session_cookie(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Content-Security-Policy", _CSP)
                headers.setdefault("X-Frame-Options", "DENY")
                if https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
                cookies = headers.getlist("set-cookie")
                if secure and cookies:
                    del headers["set-cookie"]
                    for cookie in cookies:
                        lower = cookie.lower()
                        flagged = "; secure" in lower or lower.endswith(";secure")
                        headers.append("set-cookie", cookie if flagged else cookie + "; secure")
                if api and (signed_in or cookies):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


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
        yield
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
