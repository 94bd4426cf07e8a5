"""Appointments: booking without double booking, rescheduling, the status machine, availability and calendars."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from dental_service.domain.appointments import (
    MAX_NOTES,
    MAX_REASON,
    Appointment,
    AppointmentFilter,
    AppointmentStatus,
    Slot,
    duration,
    free_slots,
    note_text,
    require_working_hours,
)
from dental_service.domain.dentists import Dentist
from dental_service.domain.errors import (
    AppointmentNotFound,
    DentistNotFound,
    InactiveRecord,
    InvalidAppointmentData,
    PatientNotFound,
)
from dental_service.domain.practice import Practice
from dental_service.ports.repositories import AppointmentRepository, DentistRepository, PatientRepository
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork

MAX_TYPE = 100
CALENDAR_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Booking:
    patient_id: uuid.UUID
    dentist_id: uuid.UUID
    start_at: datetime
    duration_minutes: int | None = None
    type: str | None = None
    reason: str | None = None
    notes: str | None = None


class AppointmentService:
    def __init__(
        self,
        appointments: AppointmentRepository,
        patients: PatientRepository,
        dentists: DentistRepository,
        uow: UnitOfWork,
        practice: Practice,
    ) -> None:
        self._appointments = appointments
        self._patients = patients
        self._dentists = dentists
        self._uow = uow
        self._practice = practice

    async def book(self, booking: Booking) -> Appointment:
        """A booked appointment. 422 outside_working_hours, 409 appointment_conflict (naming the other one),
        409 inactive_record for an inactive patient or dentist. The duration defaults to the type's."""
        patient = await self._patients.get(booking.patient_id)
        if patient is None:
            raise PatientNotFound(f"No patient with id {booking.patient_id}", field="patient_id")
        dentist = await self._dentist(booking.dentist_id)
        if not (patient.active and dentist.active):
            raise InactiveRecord("Appointments are booked for active patients with active dentists")
        kind = note_text(booking.type, "type", MAX_TYPE)
        minutes = booking.duration_minutes or dentist.default_duration(kind)
        if minutes is None:
            raise InvalidAppointmentData(
                "duration_minutes is needed unless the type is one of the dentist's appointment types",
                field="duration_minutes",
            )
        appointment = Appointment(
            id=new_id(),
            patient_id=patient.id,
            dentist_id=dentist.id,
            start_at=booking.start_at.astimezone(UTC),
            duration_minutes=duration(minutes),
            type=kind,
            reason=note_text(booking.reason, "reason", MAX_REASON),
            notes=note_text(booking.notes, "notes", MAX_NOTES),
        )
        require_working_hours(dentist, appointment.start_at, appointment.duration_minutes, self._practice.zone)
        await self._appointments.book(appointment)
        await self._uow.commit()
        return appointment

    async def get(self, appointment_id: uuid.UUID) -> Appointment:
        appointment = await self._appointments.get(appointment_id)
        if appointment is None:
            raise AppointmentNotFound(f"No appointment with id {appointment_id}")
        return appointment

    async def list(self, filters: AppointmentFilter, page: PageRequest) -> tuple[list[Appointment], int]:
        return await self._appointments.list(filters, page)

    async def update(
        self,
        appointment_id: uuid.UUID,
        *,
        start_at: datetime | None = None,
        duration_minutes: int | None = None,
        details: dict[str, str | None] | None = None,
    ) -> Appointment:
        """PATCH: a new start and/or duration reschedules (a booked appointment only, same rules as booking);
        ``details`` changes type, reason or notes."""
        appointment = await self.get(appointment_id)
        for name, value in (details or {}).items():
            limit = {"type": MAX_TYPE, "reason": MAX_REASON, "notes": MAX_NOTES}[name]
            setattr(appointment, name, note_text(value, name, limit))
        if start_at is not None or duration_minutes is not None:
            appointment.reschedule(start_at or appointment.start_at, duration_minutes or appointment.duration_minutes)
            dentist = await self._dentist(appointment.dentist_id)
            require_working_hours(dentist, appointment.start_at, appointment.duration_minutes, self._practice.zone)
            await self._appointments.reschedule(appointment)
        else:
            await self._appointments.save(appointment)
        await self._uow.commit()
        return appointment

    async def move(self, appointment_id: uuid.UUID, status: AppointmentStatus, reason: str | None) -> Appointment:
        """The status machine; 409 invalid_transition for a move it does not allow."""
        appointment = await self.get(appointment_id)
        appointment.move_to(status, reason)
        await self._appointments.save(appointment)
        await self._uow.commit()
        return appointment

    async def availability(self, dentist_id: uuid.UUID, day: date, minutes: int) -> list[Slot]:
        """The free slots of ``day`` (practice time zone) long enough for ``minutes``, from now on."""
        dentist = await self._dentist(dentist_id)
        zone = self._practice.zone
        start = datetime.combine(day, time.min, zone).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), time.min, zone).astimezone(UTC)
        busy = await self._appointments.busy(dentist.id, start, end)
        return free_slots(
            dentist,
            day,
            duration(minutes),
            busy,
            zone,
            step_minutes=self._practice.slot_minutes,
            not_before=self._practice.now(),
        )

    async def calendar(self, dentist_id: uuid.UUID) -> tuple[Dentist, Sequence[Appointment]]:
        """The dentist and their live appointments from today (practice time zone) on, at most 500."""
        dentist = await self._dentist(dentist_id)
        since = datetime.combine(self._practice.today(), time.min, self._practice.zone).astimezone(UTC)
        return dentist, await self._appointments.upcoming(dentist.id, since, CALENDAR_LIMIT)

    async def _dentist(self, dentist_id: uuid.UUID) -> Dentist:
        dentist = await self._dentists.get(dentist_id)
        if dentist is None:
            raise DentistNotFound(f"No dentist with id {dentist_id}", field="dentist_id")
        return dentist
