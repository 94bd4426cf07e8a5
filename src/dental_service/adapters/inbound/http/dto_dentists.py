"""Bodies of dentists: working hours per weekday (practice time zone) and appointment types."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Annotated

import msgspec

from dental_service.adapters.inbound.http.dto_patients import Email, Minutes, Name, Phone, Short
from dental_service.domain.dentists import MAX_TYPES, WEEKDAYS, AppointmentType, Dentist, DentistDetails, Shift
from qhitz_shared.http.inputs import Text

Clock = Annotated[str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", max_length=5, examples=["09:00"])]


class ShiftIO(msgspec.Struct, forbid_unknown_fields=True):
    """Local wall-clock times of the practice's time zone, HH:MM; start before end."""

    start: Clock
    end: Clock

    def shift(self) -> Shift:
        return Shift(time.fromisoformat(self.start), time.fromisoformat(self.end))

    @classmethod
    def of(cls, shift: Shift) -> ShiftIO:
        return cls(f"{shift.start:%H:%M}", f"{shift.end:%H:%M}")


class AppointmentTypeIO(msgspec.Struct, forbid_unknown_fields=True):
    name: Text(100, min_length=1)  # type: ignore[valid-type]
    duration_minutes: Minutes


class WeekHours(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Working hours per weekday; a day left out (or null) is a day off."""

    monday: ShiftIO | None = None
    tuesday: ShiftIO | None = None
    wednesday: ShiftIO | None = None
    thursday: ShiftIO | None = None
    friday: ShiftIO | None = None
    saturday: ShiftIO | None = None
    sunday: ShiftIO | None = None

    def shifts(self) -> dict[str, Shift]:
        return {day: shift.shift() for day in WEEKDAYS if (shift := getattr(self, day)) is not None}

    @classmethod
    def of(cls, shifts: dict[str, Shift]) -> WeekHours:
        return cls(**{day: ShiftIO.of(shift) for day, shift in shifts.items()})


Types = Annotated[list[AppointmentTypeIO], msgspec.Meta(max_length=MAX_TYPES)]


class DentistIn(msgspec.Struct, forbid_unknown_fields=True):
    first_name: Name
    last_name: Name
    license_number: Text(40, normalised=False)  # type: ignore[valid-type]
    email: Email | None = None
    phone: Phone | None = None
    specialization: Short | None = None
    user_id: uuid.UUID | None = None
    working_hours: WeekHours = msgspec.field(default_factory=WeekHours)
    appointment_types: Types = msgspec.field(default_factory=list)
    active: bool = True

    def details(self) -> DentistDetails:
        return DentistDetails(
            first_name=self.first_name,
            last_name=self.last_name,
            license_number=self.license_number,
            email=self.email,
            phone=self.phone,
            specialization=self.specialization,
            user_id=self.user_id,
            working_hours=self.working_hours.shifts(),
            appointment_types=[AppointmentType(t.name, t.duration_minutes) for t in self.appointment_types],
        )


class DentistOut(msgspec.Struct):
    id: uuid.UUID
    first_name: str
    last_name: str
    license_number: str
    email: str | None
    phone: str | None
    specialization: str | None
    user_id: uuid.UUID | None
    active: bool
    working_hours: WeekHours
    appointment_types: list[AppointmentTypeIO]
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def of(cls, dentist: Dentist) -> DentistOut:
        d = dentist.details
        return cls(
            id=dentist.id,
            first_name=d.first_name,
            last_name=d.last_name,
            license_number=d.license_number,
            email=d.email,
            phone=d.phone,
            specialization=d.specialization,
            user_id=d.user_id,
            active=dentist.active,
            working_hours=WeekHours.of(d.working_hours),
            appointment_types=[AppointmentTypeIO(t.name, t.duration_minutes) for t in d.appointment_types],
            created_at=dentist.created_at,
            updated_at=dentist.updated_at,
        )
