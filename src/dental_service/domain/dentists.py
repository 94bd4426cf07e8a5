"""Dentists: identity, license, working hours per weekday (practice time zone) and appointment types."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time

from dental_service.domain.errors import InvalidDentistData
from dental_service.domain.patients import MAX_SHORT, name_text, normalize_phone
from qhitz_shared.text import clean_text, normalize_email

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_TYPES = 50
MIN_DURATION, MAX_DURATION = 5, 480
_LICENSE = re.compile(r"^[A-Z0-9][A-Z0-9./-]{1,39}$")


@dataclass(frozen=True, slots=True)
class Shift:
    """One weekday's working hours, local time of the practice: ``start`` inclusive, ``end`` exclusive."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise InvalidDentistData("working hours must start before they end", field="working_hours")


@dataclass(frozen=True, slots=True)
class AppointmentType:
    name: str
    duration_minutes: int


def appointment_type(name: str, duration_minutes: int) -> AppointmentType:
    text = clean_text(name, field="appointment_types.name", max_length=100, error=InvalidDentistData)
    if not text:
        raise InvalidDentistData("an appointment type needs a name", field="appointment_types")
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        raise InvalidDentistData(
            f"a default duration is {MIN_DURATION} to {MAX_DURATION} minutes", field="appointment_types"
        )
    return AppointmentType(text, duration_minutes)


def license_number(value: str) -> str:
    """Upper-case letters, digits, '.', '/', '-': 2 to 40 characters; unique across dentists."""
    text = "".join(value.split()).upper()
    if not _LICENSE.match(text):
        raise InvalidDentistData("license_number has 2 to 40 letters, digits, '.', '/' or '-'", field="license_number")
    return text


@dataclass(slots=True)
class DentistDetails:
    first_name: str
    last_name: str
    license_number: str
    email: str | None = None
    phone: str | None = None
    specialization: str | None = None
    user_id: uuid.UUID | None = None
    working_hours: dict[str, Shift] = field(default_factory=dict)  # weekday name -> shift; absent: not working
    appointment_types: list[AppointmentType] = field(default_factory=list)

    def clean(self) -> DentistDetails:
        unknown = set(self.working_hours) - set(WEEKDAYS)
        if unknown:
            raise InvalidDentistData(f"unknown weekday: {sorted(unknown)[0]}", field="working_hours")
        names = [kind.name.casefold() for kind in self.appointment_types]
        if len(set(names)) != len(names):
            raise InvalidDentistData("appointment type names are unique", field="appointment_types")
        specialization = self.specialization
        return DentistDetails(
            first_name=name_text(self.first_name, "first_name", InvalidDentistData),
            last_name=name_text(self.last_name, "last_name", InvalidDentistData),
            license_number=license_number(self.license_number),
            email=None if not self.email else normalize_email(self.email, error=InvalidDentistData),
            phone=None if not self.phone else normalize_phone(self.phone, error=InvalidDentistData),
            specialization=None
            if specialization is None
            else clean_text(specialization, field="specialization", max_length=MAX_SHORT, error=InvalidDentistData)
            or None,
            user_id=self.user_id,
            working_hours={day: self.working_hours[day] for day in WEEKDAYS if day in self.working_hours},
            appointment_types=[appointment_type(kind.name, kind.duration_minutes) for kind in self.appointment_types],
        )


@dataclass(slots=True)
class Dentist:
    id: uuid.UUID
    details: DentistDetails
    active: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def shift_on(self, weekday: int) -> Shift | None:
        """The working hours on ``weekday`` (0 = Monday), or None on a day off."""
        return self.details.working_hours.get(WEEKDAYS[weekday])

    def default_duration(self, kind: str | None) -> int | None:
        if kind is None:
            return None
        wanted = kind.casefold()
        return next((t.duration_minutes for t in self.details.appointment_types if t.name.casefold() == wanted), None)
