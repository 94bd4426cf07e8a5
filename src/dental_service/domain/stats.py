"""Practice statistics: plain data computed by the persistence queries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class MonthFigures:
    month: str  # YYYY-MM, practice time zone
    production: Decimal  # fees of completed treatments performed that month
    collections: Decimal  # payments minus refunds dated that month


@dataclass(frozen=True, slots=True)
class ProcedureCount:
    procedure_code: str | None
    name: str
    count: int
    production: Decimal


@dataclass(frozen=True, slots=True)
class ChairHours:
    dentist_id: uuid.UUID
    name: str
    hours: Decimal


@dataclass(frozen=True, slots=True)
class PracticeStats:
    active_patients: int
    new_patients: int
    appointments_by_status: dict[str, int]
    no_show_rate: Decimal  # no_show / (completed + no_show); 0 when neither happened
    months: list[MonthFigures]
    top_procedures: list[ProcedureCount]
    chair_hours: list[ChairHours]
