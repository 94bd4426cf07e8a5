"""Practice statistics over a range of local days."""

from __future__ import annotations

from datetime import date, timedelta

from dental_service.domain.errors import InvalidRange
from dental_service.domain.practice import Practice
from dental_service.domain.stats import PracticeStats
from dental_service.ports.repositories import StatsQueries

MAX_RANGE_DAYS = 3660


class StatsService:
    def __init__(self, queries: StatsQueries, practice: Practice) -> None:
        self._queries = queries
        self._practice = practice

    async def practice(self, start: date | None, end: date | None) -> tuple[date, date, PracticeStats]:
        """The range [start, end] of the practice's days (default: the 365 days up to today) and its figures."""
        end = end or self._practice.today()
        start = start or end - timedelta(days=364)
        if start > end or (end - start).days > MAX_RANGE_DAYS:
            raise InvalidRange("from is before to, at most ten years apart", field="from")
        return start, end, await self._queries.practice(start, end, self._practice.zone.key)
