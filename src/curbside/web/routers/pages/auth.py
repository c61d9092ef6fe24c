"""Sign-in and sign-out forms."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from curbside.errors import AuthenticationError
from curbside.web.dependencies import get_services
from curbside.web.routers.pages.forms import safe_next, verify_csrf
from curbside.web.security import client_key, log_in, log_out
from curbside.web.templating import flash, render

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request, next: Annotated[str, Query(max_length=2000)] = "/review"
) -> HTMLResponse:
    return render(
        request, "login.html", {"next": safe_next(next, "/review"), "error": "", "username": ""}
    )


@router.post("/login", dependencies=[Depends(verify_csrf)])
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "/review",
) -> Response:
    services = get_services(request)
    services.login_limiter.hit(client_key(request))
    try:
        user = services.users.authenticate(username, password)
    except AuthenticationError as exc:
        return render(
            request,
            "login.html",
            {"next": safe_next(next, "/review"), "error": exc.message, "username": username},
            status_code=401,
        )
    log_in(request, services.sessions, user.id, user.role.value)
    request.state.user = user
    flash(request, f"Signed in as {user.signature}.")
    return RedirectResponse(safe_next(next, "/review"), status_code=303)


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request) -> RedirectResponse:
    log_out(request, get_services(request).sessions)
    flash(request, "Signed out.")
    return RedirectResponse("/", status_code=303)
