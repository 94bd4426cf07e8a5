"""/api/v1/features and /api/v1/admin/stats."""

from __future__ import annotations

from typing import Any

from dishka import FromDishka
from litestar import Controller, get

from main_service.adapters.inbound.http.dto import DayCount, UserStatsOut
from main_service.services.features import FeatureService
from main_service.services.stats import StatsService
from qhitz_shared.http.security import Caller, require_permission, require_user


class FeaturesController(Controller):
    path = "/api/v1/features"
    tags = ["features"]
    guards = [require_user]

    @get("/", summary="Every feature flag evaluated for the caller")
    async def features(self, principal: Caller, features: FromDishka[FeatureService]) -> dict[str, Any]:
        return await features.for_user(principal.user_id)


class AdminController(Controller):
    path = "/api/v1/admin"
    tags = ["admin"]
    guards = [require_permission("admin:stats")]

    @get("/stats", summary="Users by status and role, sign-ups per day over 30 days")
    async def stats(self, stats: FromDishka[StatsService]) -> UserStatsOut:
        result = await stats.user_stats()
        return UserStatsOut(
            total=result.total,
            by_status=result.by_status,
            by_role=result.by_role,
            signups_per_day=[DayCount(day=day, count=count) for day, count in result.signups_per_day],
        )
