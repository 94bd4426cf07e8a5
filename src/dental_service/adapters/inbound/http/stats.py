"""/api/v1/dental/stats: practice statistics (dental:stats)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from dishka import FromDishka
from litestar import Controller, get
from litestar.params import QueryParameter

from dental_service.adapters.inbound.http.dto_billing import StatsOut
from dental_service.services.stats import StatsService
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.security import require_permission


class StatsController(Controller):
    path = "/api/v1/dental/stats"
    tags = ["dental: stats"]

    @get("/", guards=[require_permission("dental:stats")], summary="Practice statistics", responses=problems(422))
    async def practice_stats(
        self,
        stats: FromDishka[StatsService],
        start: Annotated[
            date | None, QueryParameter(name="from", description="first local day (default: to - 364)")
        ] = None,
        end: Annotated[date | None, QueryParameter(name="to", description="last local day (default: today)")] = None,
    ) -> StatsOut:
        return StatsOut.of(*await stats.practice(start, end))
