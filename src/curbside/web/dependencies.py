"""What routes depend on: the services (as the platform interface), the signed-in user, roles.

The web layer talks to the articles domain only through :class:`ArticlesPort` and
:class:`UsersPort`: the methods of the services it calls (``docs/architecture.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, cast

from fastapi import Depends, Request

from curbside.accounts.models import User
from curbside.accounts.sessions import SessionStore
from curbside.articles.models import ArticleVersion, ArticleView, ReviewEvent
from curbside.articles.workflow import Permission, require
from curbside.consult.models import Consult, ConsultRequest, ConsultState, ConsultView
from curbside.domain import Answer, Audience
from curbside.errors import AuthenticationError, ConfigError, NotFoundError
from curbside.events import ArticleEvent
from curbside.kb.readiness import Readiness
from curbside.ratelimit import Limiter
from curbside.settings import Settings
from curbside.web.security import (
    check_api_csrf_for,
    client_key,
    log_out,
    rotate,
    session_token,
)


class ArticlesPort(Protocol):
    def ask(
        self,
        question: str,
        *,
        audience: Audience = ...,
        thread_id: str | None = None,
        user: User | None = None,
    ) -> ArticleView: ...

    def ask_stream(
        self, question: str, *, audience: Audience, thread_id: str | None, user: User | None
    ) -> Iterator[ArticleEvent]: ...

    def get(
        self, slug: str, *, audience: Audience | None = None, user: User | None = None
    ) -> ArticleView: ...

    def view(self, slug: str, *, audience: Audience | None = None) -> ArticleView: ...

    def request_variant(
        self, slug: str, audience: Audience, *, user: User | None = None
    ) -> ArticleView: ...
    def count_views(self, counts: dict[int, int]) -> None: ...

    def recent(self, limit: int = 10) -> list[ArticleView]: ...

    def popular(self, limit: int = 10) -> list[ArticleView]: ...

    def search(self, query: str, limit: int = 20) -> list[ArticleView]: ...

    def queue(self) -> list[ArticleView]: ...

    def transition(
        self,
        slug: str,
        version_id: int,
        action: str,
        *,
        actor: User,
        comment: str = "",
        expected_lock_version: int,
    ) -> ArticleVersion: ...

    def regenerate(
        self, slug: str, *, actor: User, audience: Audience | None = None
    ) -> ArticleVersion: ...

    def history(self, slug: str) -> list[ReviewEvent]: ...

    def diff(self, slug: str, old_version_id: int, new_version_id: int) -> str: ...

    def versions(self, slug: str, audience: Audience | None = None) -> list[ArticleVersion]: ...

    def export(self, slug: str, fmt: str, *, audience: Audience | None = None) -> str: ...


class ConsultsPort(Protocol):
    """What the web layer calls on the consult board (:class:`curbside.consult.service.ConsultService`)."""

    def ask(self, request: ConsultRequest) -> Consult: ...

    def list_consults(self, *, state: ConsultState | None = ..., topic: str = "", limit: int = 100) -> list[Consult]: ...

    def view(self, consult_id: int, *, public: bool = True) -> ConsultView: ...

    def queue(self) -> dict[str, list[Consult]]: ...

    def moderate(self, consult_id: int, action: str, *, actor: User, comment: str = "") -> Consult: ...

    def reply(self, consult_id: int, text: str, *, doctor: User) -> Consult: ...

    def release_more_info(self, consult_id: int, *, actor: User, comment: str = "") -> Consult: ...

    def held_more_info(self, consult_id: int, *, actor: User) -> Answer | None: ...


class UsersPort(Protocol):
    def authenticate(self, username: str, password: str) -> User: ...

    def get(self, user_id: int) -> User: ...


@dataclass
class Services:
    """Everything a request may need, built once per app."""

    settings: Settings
    articles: ArticlesPort
    users: UsersPort
    ask_limiter: Limiter
    login_limiter: Limiter
    sessions: SessionStore
    consults: ConsultsPort | None = None
    #: The /readyz checks (None: not configured, never ready).
    readiness: Callable[[], Readiness] | None = None
    #: The background upkeep of the knowledge base (kb/maintenance.py), started with the app.
    maintainer: Any = None


_UNSET = object()


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_articles(request: Request) -> ArticlesPort:
    return get_services(request).articles


def get_consults(request: Request) -> ConsultsPort:
    consults = get_services(request).consults
    if consults is None:
        raise ConfigError("The consult board is not set up in this app (services.consults is None).")
    return consults


def current_user(request: Request) -> User | None:
    """The signed-in user, or None. A session that ended on the server (sign-out elsewhere,
    password change, timeout) or whose user was removed is cleared; a changed role rotates it."""
    cached = getattr(request.state, "user", _UNSET)
    if cached is not _UNSET:
        return cast("User | None", cached)
    user: User | None = None
    token = session_token(request)
    if token is not None:
        services = get_services(request)
        live = services.sessions.check(token)
        if live is not None:
            try:
                user = services.users.get(live.user_id)
            except NotFoundError:
                user = None
        if live is None or user is None:
            log_out(request, services.sessions)
        elif user.role.value != live.role:
            rotate(request, services.sessions, user.id, user.role.value)
    request.state.user = user
    return user


def check_api_csrf(request: Request) -> None:
    """Signed-in API requests that change something must carry the session's X-CSRF-Token."""
    check_api_csrf_for(request, current_user(request) is not None)


def require_user(user: User | None = Depends(current_user)) -> User:
    if user is None:
        raise AuthenticationError(
            "Sign in first: this needs a reviewer account (POST /api/v1/login or /login)."
        )
    return user


def require_reviewer(user: User = Depends(require_user)) -> User:
    """Reviewers, editors and admins: dashboard, queue, diffs, history (the workflow's matrix)."""
    require(user, Permission.SEE_QUEUE)
    return user


def limit_asking(request: Request) -> None:
    """Count one question against this client's per-minute allowance (429 past it)."""
    get_services(request).ask_limiter.hit(client_key(request))


def limit_new_variant(request: Request, slug: str, audience: Audience) -> None:
    """Writing an audience variant that does not exist yet counts as asking (it generates)."""
    if audience not in get_articles(request).view(slug).audiences:
        limit_asking(request)
