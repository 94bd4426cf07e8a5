"""The practice: its time zone (working hours and calendar days are local to it) and its booking grid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

CLINICAL_READ = "dental:clinical:read"
CLINICAL_WRITE = "dental:clinical:write"


@dataclass(frozen=True, slots=True)
class Practice:
    zone: ZoneInfo
    slot_minutes: int = 15
    name: str = "Qhitz Dental"

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(self.zone).date()


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is asking, as far as clinical data goes: ``actor`` is the token's subject (a user id)."""

    actor: str
    permissions: frozenset[str] = frozenset()

    @property
    def clinical_read(self) -> bool:
        return CLINICAL_READ in self.permissions

    @property
    def clinical_write(self) -> bool:
        return CLINICAL_WRITE in self.permissions
