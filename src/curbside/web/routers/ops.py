"""Operations endpoints: liveness, readiness and Prometheus metrics (no session, no CSRF).

- ``GET /healthz``: 200 while the process serves requests (a liveness probe; checks nothing
  else, so a slow database never gets a healthy process restarted).
- ``GET /readyz``: 200 when the database answers, the indexes have taken every passage and the
  embedding model is loaded; 503 with the failing checks otherwise (a readiness probe: a load
  balancer sends no traffic to a worker that is not ready).
- ``GET /metrics``: the Prometheus exposition (all workers when served with ``--workers``).
  Keep it off the public internet (the reverse proxy in docs/operations.md does).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from curbside import metrics
from curbside.web.dependencies import get_services

router = APIRouter(tags=["operations"])
_NO_STORE = {"Cache-Control": "no-store"}


@router.get("/healthz", summary="Liveness: the process is up")
def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"}, headers=_NO_STORE)


@router.get("/readyz", summary="Readiness: database, indexes and model")
async def readyz(request: Request) -> JSONResponse:
    probe = get_services(request).readiness
    if probe is None:
        body: dict[str, object] = {"ready": False, "checks": {
            "services": {"ok": False, "detail": "no readiness probe configured"}}}
        return JSONResponse(body, status_code=503, headers=_NO_STORE)
    result = await run_in_threadpool(probe)
    return JSONResponse(result.to_dict(), status_code=200 if result.ok else 503,
                        headers=_NO_STORE)


@router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
def prometheus_metrics() -> Response:
    body, content_type = metrics.render()
    return Response(body, media_type=content_type, headers=_NO_STORE)
