"""Bodies of patients, dentists and the access log (snake_case JSON). Clinical fields are present only for
callers with dental:clinical:read, and never in lists."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated

import msgspec

from dental_service.domain.dentists import MAX_TYPES, WEEKDAYS, AppointmentType, Dentist, DentistDetails, Shift
from dental_service.domain.patients import (
    MAX_ADDRESS,
    MAX_CLINICAL,
    MAX_NAME,
    MAX_PHONE,
    MAX_SHORT,
    ClinicalAccess,
    Patient,
)
from qhitz_shared.http.inputs import Text
from qhitz_shared.text import MAX_EMAIL

Name = Text(MAX_NAME, min_length=1)
Email = Text(MAX_EMAIL)
Phone = Text(MAX_PHONE, normalised=False)
Short = Text(MAX_SHORT)
Address = Text(MAX_ADDRESS)
Clinical = Text(MAX_CLINICAL)
Minutes = Annotated[int, msgspec.Meta(ge=5, le=480)]
Unset = msgspec.UnsetType
UNSET = msgspec.UNSET


class PatientIn(msgspec.Struct, forbid_unknown_fields=True):
    """POST and PUT: every field; the clinical ones (allergies, medical_notes) need dental:clinical:write and,
    when left out of a PUT, keep their value."""

    first_name: Name
    last_name: Name
    date_of_birth: date
    email: Email | None = None
    phone: Phone | None = None
    address: Address | None = None
    emergency_contact_name: Short | None = None
    emergency_contact_phone: Phone | None = None
    insurance_provider: Short | None = None
    insurance_member_id: Short | None = None
    allergies: Clinical | Unset | None = UNSET
    medical_notes: Clinical | Unset | None = UNSET


class PatientPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields sent change; null clears an optional one."""

    first_name: Name | Unset = UNSET
    last_name: Name | Unset = UNSET
    date_of_birth: date | Unset = UNSET
    email: Email | Unset | None = UNSET
    phone: Phone | Unset | None = UNSET
    address: Address | Unset | None = UNSET
    emergency_contact_name: Short | Unset | None = UNSET
    emergency_contact_phone: Phone | Unset | None = UNSET
    insurance_provider: Short | Unset | None = UNSET
    insurance_member_id: Short | Unset | None = UNSET
    allergies: Clinical | Unset | None = UNSET
    medical_notes: Clinical | Unset | None = UNSET
    active: bool | Unset = UNSET


def sent(body: msgspec.Struct) -> dict[str, object]:
    """The fields of ``body`` that were sent (UNSET left out)."""
    return {name: value for name in body.__struct_fields__ if (value := getattr(body, name)) is not UNSET}


class PatientOut(msgspec.Struct, omit_defaults=True):
    id: uuid.UUID
    first_name: str
    last_name: str
    date_of_birth: date
    email: str | None
    phone: str | None
    address: str | None
    emergency_contact_name: str | None
    emergency_contact_phone: str | None
    insurance_provider: str | None
    insurance_member_id: str | None
    active: bool
    created_at: datetime | None
    updated_at: datetime | None
    allergies: str | Unset | None = UNSET
    medical_notes: str | Unset | None = UNSET

    @classmethod
    def of(cls, patient: Patient, *, clinical: bool = False) -> PatientOut:
        d = patient.details
        return cls(
            id=patient.id,
            first_name=d.first_name,
            last_name=d.last_name,
            date_of_birth=d.date_of_birth,
            email=d.email,
            phone=d.phone,
            address=d.address,
            emergency_contact_name=d.emergency_contact_name,
            emergency_contact_phone=d.emergency_contact_phone,
            insurance_provider=d.insurance_provider,
            insurance_member_id=d.insurance_member_id,
            active=patient.active,
            created_at=patient.created_at,
            updated_at=patient.updated_at,
            allergies=d.allergies if clinical else UNSET,
            medical_notes=d.medical_notes if clinical else UNSET,
        )


class AccessOut(msgspec.Struct):
    id: uuid.UUID
    patient_id: uuid.UUID
    actor: str
    action: str
    fields: list[str]
    at: datetime

    @classmethod
    def of(cls, entry: ClinicalAccess) -> AccessOut:
        return cls(entry.id, entry.patient_id, entry.actor, entry.action, list(entry.fields), entry.at)


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
