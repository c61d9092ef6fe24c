"""Consult pages: the board, one consult, the ask form and the moderation queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from curbside.accounts.models import User
from curbside.consult.models import AGE_BANDS, SEXES, ConsultRequest
from curbside.consult.workflow import WORKFLOW
from curbside.errors import CurbsideError, InputError
from curbside.web.dependencies import ConsultsPort, get_consults, limit_asking, require_reviewer
from curbside.web.params import ConsultIdPath
from curbside.web.routers.pages.forms import verify_csrf
from curbside.web.templating import flash, render

router = APIRouter(include_in_schema=False)

Consults = Annotated[ConsultsPort, Depends(get_consults)]
Reviewer = Annotated[User, Depends(require_reviewer)]


@router.get("/consults", response_class=HTMLResponse)
def board(request: Request, consults: Consults, topic: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    return render(request, "consult_list.html", {"consults": consults.list_consults(topic=topic), "topic": topic})


@router.get("/consults/ask", response_class=HTMLResponse)
def ask_form(request: Request) -> HTMLResponse:
    return render(request, "consult_ask.html", {"age_bands": AGE_BANDS, "sexes": SEXES, "form": {}})


@router.post("/consults/ask", dependencies=[Depends(verify_csrf), Depends(limit_asking)], response_model=None)
def ask(request: Request, consults: Consults, question: Annotated[str, Form(max_length=4000)],
        age_band: Annotated[str, Form(max_length=10)], sex: Annotated[str, Form(max_length=20)],
        display_name: Annotated[str, Form(max_length=80)] = "",
        consent: Annotated[str, Form(max_length=10)] = "") -> HTMLResponse | RedirectResponse:
    form = {"question": question, "age_band": age_band, "sex": sex, "display_name": display_name}
    try:
        request_ = ConsultRequest(question=question, age_band=age_band, sex=sex, display_name=display_name,
                                  consent=consent == "yes")
        consult = consults.ask(request_)
    except ValidationError as exc:
        message = "The question needs at least 10 characters." if "question" in str(exc) else str(exc)
        return render(request, "consult_ask.html", {"age_bands": AGE_BANDS, "sexes": SEXES, "form": form,
                                                    "error": message}, status_code=400)
    except InputError as exc:
        return render(request, "consult_ask.html", {"age_bands": AGE_BANDS, "sexes": SEXES, "form": form,
                                                    "error": exc.message}, status_code=400)
    flash(request, f"Thank you. Your question “{consult.title}” was received without names or contact details; "
                   "an editor checks it before a doctor replies.")
    return RedirectResponse("/consults", status_code=303)


@router.get("/consults/{consult_id}", response_class=HTMLResponse)
def consult_page(request: Request, consult_id: ConsultIdPath, consults: Consults) -> HTMLResponse:
    view = consults.view(consult_id)
    more_info = view.more_info
    if more_info is not None:  # the urgent notices already head the page
        more_info = more_info.model_copy(update={"notices": [n for n in more_info.notices if not n.urgent]})
    return render(request, "consult.html", {"view": view, "more_info": more_info})


@router.get("/moderation", response_class=HTMLResponse)
def moderation(request: Request, consults: Consults, user: Reviewer) -> HTMLResponse:
    queue = consults.queue()
    held = {}
    if WORKFLOW.may(user, "approve"):  # editors judge held More Info: they see it
        held = {c.id: consults.held_more_info(c.id, actor=user) for c in queue["held_more_info"]}
    return render(request, "consult_queue.html", {"queue": queue, "held": held})


def _act(request: Request, run: Callable[[], str]) -> RedirectResponse:
    try:
        message = run()
    except CurbsideError as exc:
        flash(request, exc.message, "error")
    else:
        flash(request, message)
    return RedirectResponse("/moderation", status_code=303)


@router.post("/moderation/{consult_id}/moderate", dependencies=[Depends(verify_csrf)])
def moderate(request: Request, consult_id: ConsultIdPath, consults: Consults, user: Reviewer,
             action: Annotated[str, Form(max_length=20)],
             comment: Annotated[str, Form(max_length=5000)] = "") -> RedirectResponse:
    def run() -> str:
        consult = consults.moderate(consult_id, action, actor=user, comment=comment.strip())
        return f"Consult {consult.id} is now {consult.state.value.replace('_', ' ')}."
    return _act(request, run)


@router.post("/moderation/{consult_id}/reply", dependencies=[Depends(verify_csrf)])
def reply(request: Request, consult_id: ConsultIdPath, consults: Consults, user: Reviewer,
          text: Annotated[str, Form(max_length=10000)]) -> RedirectResponse:
    def run() -> str:
        consult = consults.reply(consult_id, text, doctor=user)
        held = " Its More Info is held for an editor." if consult.more_info_state.value == "held" else ""
        return f"Reply published on consult {consult.id}.{held}"
    return _act(request, run)


@router.post("/moderation/{consult_id}/release", dependencies=[Depends(verify_csrf)])
def release(request: Request, consult_id: ConsultIdPath, consults: Consults, user: Reviewer,
            comment: Annotated[str, Form(max_length=5000)] = "") -> RedirectResponse:
    def run() -> str:
        consults.release_more_info(consult_id, actor=user, comment=comment.strip())
        return f"More Info of consult {consult_id} published."
    return _act(request, run)
