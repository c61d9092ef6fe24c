"""What routes depend on: the services (as the platform interface), the signed-in user, roles.

The web layer talks to the articles domain only through :class:`ArticlesPort` and
:class:`UsersPort`, the methods of ``docs/dev/PLATFORM_INTERFACE.md`` it calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, cast

from fastapi import Depends, Request

from curbside.articles.models import ArticleVersion, ArticleView, ReviewEvent, User
from curbside.articles.workflow import Permission, require
from curbside.domain import Audience
from curbside.errors import AuthenticationError, NotFoundError
from curbside.kb.readiness import Readiness
from curbside.ratelimit import Limiter
from curbside.settings import Settings
from curbside.web.security import client_key, log_out, session_user_id


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
    ) -> Iterator[dict[str, Any]]: ...

    def get(
        self, slug: str, *, audience: Audience | None = None, user: User | None = None
    ) -> ArticleView: ...

    def view(self, slug: str, *, audience: Audience | None = None) -> ArticleView: ...

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
    #: The /readyz checks (None: not configured, never ready).
    readiness: Callable[[], Readiness] | None = None


_UNSET = object()


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_articles(request: Request) -> ArticlesPort:
    return get_services(request).articles


def current_user(request: Request) -> User | None:
    """The signed-in user, or None (a session whose user was deleted is ended)."""
    cached = getattr(request.state, "user", _UNSET)
    if cached is not _UNSET:
        return cast("User | None", cached)
    user: User | None = None
    user_id = session_user_id(request)
    if user_id is not None:
        try:
            user = get_services(request).users.get(user_id)
        except NotFoundError:
            log_out(request)
    request.state.user = user
    return user


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


def limit_new_variant(request: Request, slug: str, audience: Audience | None) -> None:
    """Writing an audience variant that does not exist yet counts as asking (it generates)."""
    if audience is None:
        return
    if audience not in get_articles(request).view(slug).audiences:
        limit_asking(request)
