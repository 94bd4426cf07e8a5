"""GET /internal/v1/revocations: the catch-up of services that keep a deny state (auth, medias, dental, chat)."""

from __future__ import annotations

from typing import Annotated

from dishka import FromDishka
from litestar import Controller, get
from litestar.params import Parameter

from main_service.ports.revocations import RevocationLog
from qhitz_shared.http.security import require_service_named
from qhitz_shared.revocation.events import RevocationPage


class RevocationsController(Controller):
    path = "/internal/v1/revocations"
    tags = ["internal"]
    guards = [
        require_service_named("auth_service", "medias_service", "dental_service", "chat_service", "studio_service")
    ]

    @get("/", summary="Revocation events after a cursor (token_version bumps, status changes, ended sessions)")
    async def since(
        self,
        log: FromDishka[RevocationLog],
        # 2^53 - 1: the largest integer a JSON number holds exactly (a larger bound reads as a float elsewhere)
        since: Annotated[int, Parameter(ge=0, le=2**53 - 1, description="the last seq the caller applied")] = 0,
        limit: Annotated[int, Parameter(ge=1, le=1000)] = 500,
    ) -> RevocationPage:
        return await log.since(since, limit)
