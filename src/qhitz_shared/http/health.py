"""GET /health (the process is alive) and GET /ready (every dependency answers, else 503)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from litestar import Controller, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec

from qhitz_shared.http.openapi import NEEDS_NO_DEPENDENCY

log = structlog.get_logger(__name__)

Probe = Callable[[], Awaitable[object]]


class Readiness:
    """Named probes, each an awaitable that raises (or times out) when its dependency is not usable."""

    def __init__(self, probes: dict[str, Probe], *, timeout_seconds: float = 2.0) -> None:
        self._probes = probes
        self._timeout = timeout_seconds

    async def report(self) -> dict[str, str]:
        async def run(name: str, probe: Probe) -> tuple[str, str]:
            try:
                await asyncio.wait_for(probe(), self._timeout)
                return name, "ok"
            except Exception as exc:  # a probe may fail in any way; readiness reports it, never raises
                log.warning("readiness_probe_failed", probe=name, error=repr(exc))
                return name, "unavailable"

        return dict(await asyncio.gather(*(run(name, probe) for name, probe in self._probes.items())))


class HealthController(Controller):
    path = "/"
    include_in_schema = True
    tags = ["operations"]

    @get("/health", summary="Liveness: the process is up", opt={NEEDS_NO_DEPENDENCY: True})
    async def health(self) -> dict[str, str]:
        return {"status": "ok"}

    @get(
        "/ready",
        summary="Readiness: every dependency answers (503 with the same body when one does not)",
        opt={NEEDS_NO_DEPENDENCY: True},
        responses={503: ResponseSpec(dict[str, Any], description="A dependency does not answer")},
    )
    async def ready(self, request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        readiness = await request.app.state.dishka_container.get(Readiness)
        checks = await readiness.report()
        ok = all(state == "ok" for state in checks.values())
        return Response({"status": "ok" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503)
