"""Bodies of appointments, their status changes and a dentist's free slots."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import msgspec

from dental_service.domain.appointments import MAX_NOTES, MAX_REASON, Appointment, AppointmentStatus, Slot
from dental_service.services.appointments import MAX_TYPE
from qhitz_shared.http.inputs import AwareDateTime, Text

Minutes = Annotated[int, msgspec.Meta(ge=5, le=480)]
Unset = msgspec.UnsetType
UNSET = msgspec.UNSET
Reason = Text(MAX_REASON)
Notes = Text(MAX_NOTES)
Kind = Text(MAX_TYPE)


class AppointmentIn(msgspec.Struct, forbid_unknown_fields=True):
    """duration_minutes may be left out when ``type`` names one of the dentist's appointment types."""

    patient_id: uuid.UUID
    dentist_id: uuid.UUID
    start_at: AwareDateTime
    duration_minutes: Minutes | None = None
    type: Kind | None = None
    reason: Reason | None = None
    notes: Notes | None = None


class AppointmentPatch(msgspec.Struct, forbid_unknown_fields=True):
    """start_at / duration_minutes reschedule a booked appointment; the others edit it."""

    start_at: AwareDateTime | Unset = UNSET
    duration_minutes: Minutes | Unset = UNSET
    type: Kind | Unset | None = UNSET
    reason: Reason | Unset | None = UNSET
    notes: Notes | Unset | None = UNSET


class StatusChange(msgspec.Struct, forbid_unknown_fields=True):
    status: AppointmentStatus
    cancel_reason: Reason | None = None


class AppointmentOut(msgspec.Struct):
    id: uuid.UUID
    patient_id: uuid.UUID
    dentist_id: uuid.UUID
    start_at: datetime
    end_at: datetime
    duration_minutes: int
    status: AppointmentStatus
    type: str | None
    reason: str | None
    notes: str | None
    cancel_reason: str | None
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def of(cls, a: Appointment) -> AppointmentOut:
        return cls(
            a.id, a.patient_id, a.dentist_id, a.start_at, a.end_at, a.duration_minutes, a.status, a.type,
            a.reason, a.notes, a.cancel_reason, a.created_at, a.updated_at,
        )  # fmt: skip


class SlotOut(msgspec.Struct):
    start_at: datetime
    end_at: datetime

    @classmethod
    def of(cls, slot: Slot) -> SlotOut:
        return cls(slot.start_at, slot.end_at)


class Availability(msgspec.Struct):
    dentist_id: uuid.UUID
    date: date
    duration_minutes: int
    time_zone: str
    slots: list[SlotOut]
