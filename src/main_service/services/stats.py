"""Platform statistics for administrators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from main_service.ports.directory import UserRepository

SIGNUP_WINDOW_DAYS = 30


@dataclass(frozen=True, slots=True)
class UserStats:
    total: int
    by_status: dict[str, int]
    by_role: dict[str, int]
    signups_per_day: list[tuple[date, int]]


class StatsService:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def user_stats(self, today: date | None = None) -> UserStats:
        today = today or datetime.now(UTC).date()
        first = today - timedelta(days=SIGNUP_WINDOW_DAYS - 1)
        by_status = await self._users.count_by_status()
        per_day = await self._users.signups_per_day(datetime(first.year, first.month, first.day, tzinfo=UTC))
        days = [first + timedelta(days=offset) for offset in range(SIGNUP_WINDOW_DAYS)]
        return UserStats(
            total=sum(by_status.values()),
            by_status=by_status,
            by_role=await self._users.count_by_role(),
            signups_per_day=[(day, per_day.get(day, 0)) for day in days],
        )
