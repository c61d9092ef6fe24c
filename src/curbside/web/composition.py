"""The composition root: the real services of the web app, each made once.

``build_services`` opens the knowledge base (first-run work once across workers), builds the answer,
article, consult and user services and the background upkeep; ``services_for`` wraps given article
and user services with this app's sessions and rate limits (the one place they are made).
"""

from __future__ import annotations

import logging

from curbside.accounts.sessions import SessionStore
from curbside.db import get_engine
from curbside.errors import IndexUnavailableError
from curbside.ratelimit import DatabaseRateLimiter
from curbside.settings import Settings
from curbside.web.dependencies import ArticlesPort, ConsultsPort, Services, UsersPort

log = logging.getLogger("curbside.web")


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
        login_limiter=DatabaseRateLimiter(engine, settings.accounts.sign_in_attempts_per_minute,
                                          what="sign-in attempts", scope="login"),
        sessions=SessionStore(engine, settings.web),
        consults=consults,
    )
