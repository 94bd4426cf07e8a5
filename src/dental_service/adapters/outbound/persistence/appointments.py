"""SqlaAppointmentRepository: booking and rescheduling without double booking.

PostgreSQL: the exclusion constraints refuse an overlapping live appointment whatever the timing; the query
before the insert only finds the clash to name it, and after a refused insert (the other booking committed
first) the same query names the winner. SQLite: the transaction takes the database's single write lock
(``SqliteWriteLock``) before it looks for a clash, so a concurrent booking waits for this one to commit and then
sees it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from dental_service.adapters.outbound.persistence.locks import SqliteWriteLock
from dental_service.adapters.outbound.persistence.models import (
    NO_OVERLAP_DENTIST,
    NO_OVERLAP_PATIENT,
    AppointmentModel,
)
from dental_service.domain.appointments import RELEASED, Appointment, AppointmentFilter, AppointmentStatus
from dental_service.domain.errors import AppointmentConflict
from qhitz_shared.db import paged, violated_constraint
from qhitz_shared.pagination import PageRequest

FIELDS = ("patient_id", "dentist_id", "start_at", "duration_minutes", "type", "reason", "notes", "cancel_reason")
_WRITE_LOCK = SqliteWriteLock("dentists")
LIVE = [str(status) for status in AppointmentStatus if status not in RELEASED]


def appointment_of(model: AppointmentModel) -> Appointment:
    values = {name: getattr(model, name) for name in FIELDS}
    return Appointment(
        id=model.id,
        status=AppointmentStatus(model.status),
        created_at=model.created_at,
        updated_at=model.updated_at,
        **values,
    )


def _copy(appointment: Appointment, model: AppointmentModel) -> None:
    for name in FIELDS:
        setattr(model, name, getattr(appointment, name))
    model.end_at = appointment.end_at
    model.status = str(appointment.status)


class SqlaAppointmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def book(self, appointment: Appointment) -> None:
        await _WRITE_LOCK.take(self._session, appointment.dentist_id)
        await self._refuse_overlap(appointment)
        model = AppointmentModel(id=appointment.id)
        _copy(appointment, model)
        self._session.add(model)
        await self._flush(appointment)
        appointment.created_at, appointment.updated_at = model.created_at, model.updated_at

    async def reschedule(self, appointment: Appointment) -> None:
        await _WRITE_LOCK.take(self._session, appointment.dentist_id)
        await self._refuse_overlap(appointment)
        await self.save(appointment)

    async def get(self, appointment_id: uuid.UUID) -> Appointment | None:
        model = await self._session.get(AppointmentModel, appointment_id)
        return appointment_of(model) if model else None

    async def save(self, appointment: Appointment) -> None:
        model = await self._session.get_one(AppointmentModel, appointment.id)
        _copy(appointment, model)
        await self._flush(appointment)
        appointment.updated_at = model.updated_at

    async def list(self, filters: AppointmentFilter, page: PageRequest) -> tuple[list[Appointment], int]:
        query = select(AppointmentModel)
        if filters.date_from is not None:
            query = query.where(AppointmentModel.start_at >= filters.date_from)
        if filters.date_to is not None:
            query = query.where(AppointmentModel.start_at < filters.date_to)
        for attribute, value in (
            (AppointmentModel.patient_id, filters.patient_id),
            (AppointmentModel.dentist_id, filters.dentist_id),
            (AppointmentModel.status, None if filters.status is None else str(filters.status)),
        ):
            if value is not None:
                query = query.where(attribute == value)
        rows, total = await paged(self._session, query, page, AppointmentModel.start_at, AppointmentModel.id)
        return [appointment_of(model) for model in rows], total

    async def busy(self, dentist_id: uuid.UUID, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        rows = await self._session.execute(
            select(AppointmentModel.start_at, AppointmentModel.end_at).where(
                AppointmentModel.dentist_id == dentist_id,
                AppointmentModel.status.in_(LIVE),
                AppointmentModel.start_at < end,
                AppointmentModel.end_at > start,
            )
        )
        return [(row.start_at, row.end_at) for row in rows]

    async def upcoming(self, dentist_id: uuid.UUID, after: datetime, limit: int) -> Sequence[Appointment]:
        rows = await self._session.scalars(
            select(AppointmentModel)
            .where(
                AppointmentModel.dentist_id == dentist_id,
                AppointmentModel.status.in_(LIVE),
                AppointmentModel.end_at > after,
            )
            .order_by(AppointmentModel.start_at)
            .limit(limit)
        )
        return [appointment_of(model) for model in rows]

    def _overlapping(self, appointment: Appointment) -> Select[tuple[AppointmentModel]]:
        return (
            select(AppointmentModel)
            .where(
                AppointmentModel.id != appointment.id,
                AppointmentModel.status.in_(LIVE),
                AppointmentModel.start_at < appointment.end_at,
                AppointmentModel.end_at > appointment.start_at,
                or_(
                    AppointmentModel.dentist_id == appointment.dentist_id,
                    AppointmentModel.patient_id == appointment.patient_id,
                ),
            )
            .order_by(AppointmentModel.start_at)
            .limit(1)
        )

    async def _refuse_overlap(self, appointment: Appointment) -> None:
        other = await self._session.scalar(self._overlapping(appointment))
        if other is not None:
            raise _conflict(appointment, other)

    async def _flush(self, appointment: Appointment) -> None:
        try:
            await self._session.flush()
        except IntegrityError as exc:
            if violated_constraint(exc) not in (NO_OVERLAP_DENTIST, NO_OVERLAP_PATIENT):
                raise
            await self._session.rollback()
            other = await self._session.scalar(self._overlapping(appointment))
            if other is None:  # the clash was itself rolled back meanwhile: still refused, retrying may succeed
                raise AppointmentConflict("Another booking of that time was being made; try again") from None
            raise _conflict(appointment, other) from None


def _conflict(appointment: Appointment, other: AppointmentModel) -> AppointmentConflict:
    who = "dentist" if other.dentist_id == appointment.dentist_id else "patient"
    return AppointmentConflict(
        f"The {who} already has appointment {other.id} from {other.start_at:%Y-%m-%dT%H:%MZ} to "
        f"{other.end_at:%Y-%m-%dT%H:%MZ}",
        conflicting_appointment_id=str(other.id),
        conflict_with=who,
    )
