"""Appointments: the status machine, the working-hours rule and the free slots of a day.

Times are aware datetimes, stored in UTC; working hours are wall-clock times in the practice's time zone
(``zoneinfo``), so an appointment at 09:00 Europe/Paris is 08:00Z in winter and 07:00Z in summer.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dental_service.domain.dentists import MAX_DURATION, MIN_DURATION, Dentist
from dental_service.domain.errors import InvalidAppointmentData, InvalidTransition, OutsideWorkingHours
from qhitz_shared.text import clean_text

MAX_REASON = 500
MAX_NOTES = 5000


class AppointmentStatus(enum.StrEnum):
    BOOKED = "booked"
    ARRIVED = "arrived"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


S = AppointmentStatus
TRANSITIONS: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    S.BOOKED: frozenset({S.ARRIVED, S.CANCELLED, S.NO_SHOW}),
    S.ARRIVED: frozenset({S.IN_PROGRESS, S.CANCELLED, S.NO_SHOW}),
    S.IN_PROGRESS: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    S.NO_SHOW: frozenset(),
}
# Cancelled and no-show appointments free their slot; every other status holds it.
RELEASED = frozenset({S.CANCELLED, S.NO_SHOW})


def duration(minutes: int) -> int:
    if not MIN_DURATION <= minutes <= MAX_DURATION:
        raise InvalidAppointmentData(f"duration_minutes is {MIN_DURATION} to {MAX_DURATION}", field="duration_minutes")
    return minutes


def note_text(value: str | None, field: str, max_length: int) -> str | None:
    if value is None:
        return None
    return clean_text(value, field=field, max_length=max_length, multiline=True, error=InvalidAppointmentData) or None


@dataclass(slots=True)
class Appointment:
    id: uuid.UUID
    patient_id: uuid.UUID
    dentist_id: uuid.UUID
    start_at: datetime  # UTC
    duration_minutes: int
    status: AppointmentStatus = S.BOOKED
    type: str | None = None
    reason: str | None = None
    notes: str | None = None
    cancel_reason: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def end_at(self) -> datetime:
        return self.start_at + timedelta(minutes=self.duration_minutes)

    def move_to(self, status: AppointmentStatus, reason: str | None = None) -> None:
        """booked → arrived → in_progress → completed; booked/arrived → cancelled (with a reason) or no_show."""
        if status not in TRANSITIONS[self.status]:
            raise InvalidTransition(
                f"An appointment that is {self.status} cannot become {status}",
                current=str(self.status),
                requested=str(status),
            )
        if status is S.CANCELLED:
            text = note_text(reason, "cancel_reason", MAX_REASON)
            if not text:
                raise InvalidAppointmentData("Cancelling needs a cancel_reason", field="cancel_reason")
            self.cancel_reason = text
        self.status = status

    def reschedule(self, start_at: datetime, duration_minutes: int) -> None:
        if self.status is not S.BOOKED:
            raise InvalidTransition(
                f"Only a booked appointment can be rescheduled; this one is {self.status}",
                current=str(self.status),
            )
        self.start_at = start_at.astimezone(UTC)
        self.duration_minutes = duration(duration_minutes)


def require_working_hours(dentist: Dentist, start_at: datetime, minutes: int, zone: ZoneInfo) -> None:
    """OutsideWorkingHours unless [start, start + minutes) lies within the dentist's shift of that local day."""
    local_start = start_at.astimezone(zone)
    local_end = (start_at + timedelta(minutes=minutes)).astimezone(zone)
    shift = dentist.shift_on(local_start.weekday())
    fits = (
        shift is not None
        and local_end.date() == local_start.date()
        and shift.start <= local_start.time().replace(tzinfo=None)
        and local_end.time().replace(tzinfo=None) <= shift.end
    )
    if not fits:
        hours = "a day off" if shift is None else f"{shift.start:%H:%M}-{shift.end:%H:%M}"
        raise OutsideWorkingHours(
            f"{local_start:%A %Y-%m-%d %H:%M} for {minutes} minutes is outside the dentist's hours ({hours}, "
            f"{zone.key})",
            time_zone=zone.key,
        )


@dataclass(frozen=True, slots=True)
class Slot:
    start_at: datetime
    end_at: datetime


def free_slots(
    dentist: Dentist,
    day: date,
    minutes: int,
    busy: list[tuple[datetime, datetime]],
    zone: ZoneInfo,
    *,
    step_minutes: int,
    not_before: datetime,
) -> list[Slot]:
    """Every start on ``day`` (local), ``step_minutes`` apart from the shift's start, where ``minutes`` fit within
    the shift, overlap none of ``busy`` (half-open ranges, UTC) and do not start before ``not_before``."""
    shift = dentist.shift_on(day.weekday())
    if shift is None:
        return []
    start = datetime.combine(day, shift.start, zone)
    end = datetime.combine(day, shift.end, zone)
    length, step = timedelta(minutes=minutes), timedelta(minutes=step_minutes)
    slots = []
    cursor = start
    while cursor + length <= end:
        slot_start, slot_end = cursor.astimezone(UTC), (cursor + length).astimezone(UTC)
        if slot_start >= not_before and not any(b0 < slot_end and slot_start < b1 for b0, b1 in busy):
            slots.append(Slot(slot_start, slot_end))
        cursor += step
    return slots


@dataclass(frozen=True, slots=True)
class AppointmentFilter:
    """Appointments starting in [date_from, date_to), of a patient, a dentist, in a status (None: any)."""

    date_from: datetime | None = None
    date_to: datetime | None = None
    patient_id: uuid.UUID | None = None
    dentist_id: uuid.UUID | None = None
    status: AppointmentStatus | None = None
