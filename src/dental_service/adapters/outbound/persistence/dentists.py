"""SqlaDentistRepository: dentists, their working hours and appointment types (JSON columns)."""

from __future__ import annotations

import uuid
from datetime import time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from dental_service.adapters.outbound.persistence.models import DentistModel
from dental_service.domain.dentists import AppointmentType, Dentist, DentistDetails, Shift
from dental_service.domain.errors import DentistAccountTaken, LicenseNumberTaken
from qhitz_shared.db import paged, translate_integrity_error
from qhitz_shared.pagination import PageRequest

UNIQUE_VIOLATIONS: dict[str, type[Exception]] = {
    "uq_dentists_license_number": LicenseNumberTaken,
    "dentists.license_number": LicenseNumberTaken,
    "uq_dentists_user_id": DentistAccountTaken,
    "dentists.user_id": DentistAccountTaken,
}


def dentist_of(model: DentistModel) -> Dentist:
    hours = {day: Shift(time.fromisoformat(a), time.fromisoformat(b)) for day, (a, b) in model.working_hours.items()}
    kinds = [AppointmentType(kind["name"], int(kind["duration_minutes"])) for kind in model.appointment_types]
    details = DentistDetails(
        first_name=model.first_name,
        last_name=model.last_name,
        license_number=model.license_number,
        email=model.email,
        phone=model.phone,
        specialization=model.specialization,
        user_id=model.user_id,
        working_hours=hours,
        appointment_types=kinds,
    )
    return Dentist(model.id, details, model.active, model.created_at, model.updated_at)


def _copy(dentist: Dentist, model: DentistModel) -> None:
    details = dentist.details
    for name in ("first_name", "last_name", "license_number", "email", "phone", "specialization", "user_id"):
        setattr(model, name, getattr(details, name))
    model.working_hours = {
        day: [f"{shift.start:%H:%M}", f"{shift.end:%H:%M}"] for day, shift in details.working_hours.items()
    }
    model.appointment_types = [
        {"name": kind.name, "duration_minutes": kind.duration_minutes} for kind in details.appointment_types
    ]
    model.active = dentist.active


class SqlaDentistRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, dentist: Dentist) -> None:
        model = DentistModel(id=dentist.id)
        _copy(dentist, model)
        self._session.add(model)
        await self._flush()
        dentist.created_at, dentist.updated_at = model.created_at, model.updated_at

    async def get(self, dentist_id: uuid.UUID) -> Dentist | None:
        model = await self._session.get(DentistModel, dentist_id)
        return dentist_of(model) if model else None

    async def for_user(self, user_id: uuid.UUID) -> Dentist | None:
        model = await self._session.scalar(select(DentistModel).where(DentistModel.user_id == user_id))
        return dentist_of(model) if model else None

    async def save(self, dentist: Dentist) -> None:
        model = await self._session.get_one(DentistModel, dentist.id)
        _copy(dentist, model)
        await self._flush()
        dentist.updated_at = model.updated_at

    async def list(self, active_only: bool, page: PageRequest) -> tuple[list[Dentist], int]:
        query = select(DentistModel)
        if active_only:
            query = query.where(DentistModel.active.is_(True))
        rows, total = await paged(
            self._session, query, page, DentistModel.last_name, DentistModel.first_name, DentistModel.id
        )
        return [dentist_of(model) for model in rows], total

    async def _flush(self) -> None:
        try:
            await self._session.flush()
        except IntegrityError as exc:
            await self._session.rollback()
            raise (translate_integrity_error(exc, UNIQUE_VIOLATIONS) or exc) from None
