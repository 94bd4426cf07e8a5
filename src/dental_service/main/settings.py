"""dental_service configuration, read once from the environment (``DentalSettings.from_env``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from qhitz_shared.db import DatabaseSettings
from qhitz_shared.service import ServiceSettings
from qhitz_shared.service_tokens import ServiceClientSettings


class PracticeSettings(msgspec.Struct, frozen=True):
    """DENTAL_PRACTICE_*: the practice's time zone (IANA name: working hours, calendar days and the iCalendar
    feed are in it), the grid of bookable starts in minutes, and its name (the calendar's)."""

    time_zone: str = "Europe/Paris"
    slot_minutes: int = 15
    name: str = "Qhitz Dental"


class DentalSettings(ServiceSettings, frozen=True):
    """DENTAL_HTTP_*, DENTAL_DB_* (dentaldb), DENTAL_PRACTICE_*, SERVICE_* (its client at auth_service, for main's
    revocation log) and the shared concerns (REVOCATION_MAIN_URL: main_service)."""

    db: DatabaseSettings
    practice: PracticeSettings
    service: ServiceClientSettings

    env_prefix = "DENTAL_"
    default_port = 3003

    def checked(self) -> DentalSettings:
        try:
            ZoneInfo(self.practice.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SystemExit(f"DENTAL_PRACTICE_TIME_ZONE is not a known time zone: {self.practice.time_zone}") from None
        if not 5 <= self.practice.slot_minutes <= 120:
            raise SystemExit("DENTAL_PRACTICE_SLOT_MINUTES is 5 to 120")
        return self
