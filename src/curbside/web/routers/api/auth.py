"""Signing in and out (a signed session cookie)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from curbside.accounts.models import User
from curbside.web.dependencies import current_user, get_services
from curbside.web.routers.api.schemas import LoginRequest, LoginResponse, MeOut, error_responses
from curbside.web.security import client_key, csrf_token, log_in, log_out

router = APIRouter(tags=["auth"], responses=error_responses(400, 403, 422, 500))


@router.post("/login", response_model=LoginResponse, responses=error_responses(401, 422, 429))
def login(body: LoginRequest, request: Request) -> LoginResponse:
    """Sign in; the response sets the session cookie."""
    services = get_services(request)
    services.login_limiter.hit(client_key(request))
    user = services.users.authenticate(body.username, body.password)
    log_in(request, services.sessions, user.id, user.role.value)
    request.state.user = user
    return LoginResponse(user=user, csrf_token=csrf_token(request))


@router.post("/logout", status_code=204, response_class=Response)
def logout(request: Request) -> Response:
    """End the session."""
    log_out(request, get_services(request).sessions)
    return Response(status_code=204)


@router.get("/me", response_model=MeOut)
def me(user: Annotated[User | None, Depends(current_user)]) -> MeOut:
    """Who is signed in (null when nobody)."""
    return MeOut(user=user, role=user.role if user else None)
