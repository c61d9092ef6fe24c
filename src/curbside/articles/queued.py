"""Articles answered through the generation queue (:mod:`curbside.articles.jobs`).

:class:`QueuedArticleService` is the :class:`ArticleService` with asking moved onto the queue:
``ask_stream`` validates the question, submits (or joins) its job and relays the job's events
as the worker running it writes them; that worker's :class:`JobRunner` runs the ordinary
``ArticleService.ask_stream``. Everything else (reading, review, variants) is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from curbside.accounts.models import User
from curbside.articles import workflow
from curbside.articles.answers import AnswerProvider
from curbside.articles.jobs import Job, JobQueue, JobRunner
from curbside.articles.models import ArticleView
from curbside.articles.service import ArticleService, check_audience, clean_question, removal_step
from curbside.domain import Audience
from curbside.errors import CurbsideError
from curbside.events import ArticleEvent, ArticleReady, Duplicate, Stage, Step, Token
from curbside.kb.service import KnowledgeBase
from curbside.logs import request_client
from curbside.settings import Settings


def use_queue(settings: Settings) -> bool:
    """The queue in force: ``jobs.mode``, where 'auto' means PostgreSQL."""
    mode = settings.jobs.mode
    return mode == "queue" or (mode == "auto" and settings.resolved_database_url.startswith("postgresql"))


def _plain(event: ArticleEvent) -> dict[str, Any]:
    """What of a progress event crosses the database: its wire form's scalar fields."""
    return {k: v for k, v in event.as_dict().items() if isinstance(v, str | int | float | bool) or v is None}


def _typed(event: dict[str, Any]) -> ArticleEvent:
    """A progress event read back from the database as its type."""
    if event.get("event") == "duplicate":
        return Duplicate(str(event.get("slug", "")), str(event.get("question", "")))
    if event.get("event") == "progress":
        return Step(str(event.get("stage", "")), str(event.get("message", "")))
    if "token" in event:
        return Token(str(event["token"]))
    query, composer = event.get("query"), event.get("composer")
    return Stage(str(event.get("stage", "")), query=None if query is None else str(query),
                 composer=None if composer is None else str(composer))


class QueuedArticleService(ArticleService):
    def __init__(self, settings: Settings, answers: AnswerProvider | None = None, *,
                 kb: KnowledgeBase | None = None) -> None:
        super().__init__(settings, answers, kb=kb)
        self.jobs = JobQueue(self.engine, settings.jobs)
        self.runner = JobRunner(self.jobs, self.run_job)
        self._users: Any = None

    def ask_stream(self, question: str, *, audience: Audience = Audience.CLINICIAN,
                   thread_id: str | None = None, user: User | None = None) -> Iterator[ArticleEvent]:
        workflow.require(user, workflow.Permission.ASK)
        question, removed = self.deidentify(clean_question(question))  # the queue never holds identifiers
        audience = check_audience(audience)
        if removed:
            yield removal_step(removed)
        job_id = self.jobs.submit(question, audience.value, thread_id=thread_id,
                                   user_id=user.id if user else None,
                                   client_key=request_client.get() or "addr:unknown")
        yield Step("queued", f"Waiting for a free writer (job {job_id})")
        for event in self.jobs.events(job_id):
            if event.get("event") == "article":
                view = self.view(str(event["slug"]), audience=Audience(event["audience"]))
                yield ArticleReady(view.model_copy(update={"removed": removed}) if removed else view)
                return
            if event.get("event") == "job_done":
                break
            yield _typed(event)
        raise CurbsideError("Generation ended without an article. Try again.", retryable=True)

    def run_job(self, job: Job, report: Callable[[dict[str, Any]], None]) -> str:
        """Run one job here (the runner's thread): the inline ask, its events reported."""
        user = self._user(job.user_id)
        for event in ArticleService.ask_stream(self, job.question, audience=Audience(job.audience),
                                               thread_id=job.thread_id, user=user):
            if isinstance(event, ArticleReady):
                view: ArticleView = event.article
                report({"event": "article", "slug": view.slug, "audience": view.audience.value})
                return view.slug
            report(_plain(event))
        raise CurbsideError("Generation ended without an article. Try again.", retryable=True)

    def _user(self, user_id: int | None) -> User | None:
        if user_id is None:
            return None
        if self._users is None:
            from curbside.accounts.users import UserService

            self._users = UserService(self.settings)
        user: User = self._users.get(user_id)
        return user
