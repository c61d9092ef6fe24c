"""Home (ask box, recent and popular articles), search, asking, and the editorial policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse

from curbside.accounts.models import User
from curbside.articles.service import removal_notice
from curbside.domain import Audience
from curbside.errors import InputError
from curbside.web.dependencies import ArticlesPort, current_user, get_articles, limit_asking
from curbside.web.routers.pages.forms import verify_csrf
from curbside.web.streaming import event_stream, progress_events
from curbside.web.templating import flash, render
from curbside.web.urls import view_path

router = APIRouter(include_in_schema=False)

Articles = Annotated[ArticlesPort, Depends(get_articles)]
MaybeUser = Annotated[User | None, Depends(current_user)]


def _question(raw: str) -> str:
    question = " ".join(raw.split())
    if len(question) < 3:
        raise InputError("Type your question (a few words at least) and ask again.")
    if len(question) > 2000:
        raise InputError("That question is too long: keep it under 2000 characters.")
    return question


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def home(request: Request, articles: Articles) -> HTMLResponse:
    return render(
        request, "home.html", {"recent": articles.recent(8), "popular": articles.popular(8)}
    )


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request, articles: Articles, q: Annotated[str, Query(max_length=500)] = ""
) -> HTMLResponse:
    query = q.strip()
    results = articles.search(query, limit=30) if query else []
    return render(request, "search.html", {"query": query, "results": results})


@dataclass(frozen=True)
class AskForm:
    question: str
    audience: Audience
    thread_id: str | None


def ask_form(
    request: Request,
    question: Annotated[str, Form()],
    audience: Annotated[Audience, Form()] = Audience.CLINICIAN,
    thread_id: Annotated[str | None, Form(max_length=200)] = None,
) -> AskForm:
    """The ask form's fields, checked, then counted against the asking rate limit (after the
    check: a rejected form does not count)."""
    text = _question(question)
    limit_asking(request)
    return AskForm(text, audience, thread_id or None)


Asked = Annotated[AskForm, Depends(ask_form)]


@router.post("/ask", dependencies=[Depends(verify_csrf)])
def ask(request: Request, articles: Articles, user: MaybeUser, form: Asked) -> RedirectResponse:
    """The no-JavaScript path: generate, then 303 to the article page (telling the asker which
    personal details were masked out of the published question)."""
    view = articles.ask(form.question, audience=form.audience, thread_id=form.thread_id, user=user)
    if view.removed:
        flash(request, removal_notice(view.removed))
    return RedirectResponse(view_path(view), status_code=303)


@router.post("/ask/stream", dependencies=[Depends(verify_csrf)])
def ask_stream(articles: Articles, user: MaybeUser, form: Asked) -> StreamingResponse:
    """The same form, answered as server-sent events (used by static/curbside.js)."""
    return event_stream(
        progress_events(
            articles, form.question, audience=form.audience, thread_id=form.thread_id, user=user
        )
    )


@router.get("/editorial-policy", response_class=HTMLResponse)
def editorial_policy(request: Request) -> HTMLResponse:
    return render(request, "editorial_policy.html")
