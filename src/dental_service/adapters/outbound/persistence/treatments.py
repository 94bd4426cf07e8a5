"""SqlaTreatmentRepository."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dental_service.adapters.outbound.persistence.models import TreatmentModel
from dental_service.domain.treatments import Treatment, TreatmentDetails, TreatmentStatus
from qhitz_shared.db import paged
from qhitz_shared.pagination import PageRequest

FIELDS = ("name", "performed_on", "fee", "procedure_code", "tooth", "surfaces", "notes", "appointment_id")


def treatment_of(model: TreatmentModel) -> Treatment:
    details = TreatmentDetails(status=TreatmentStatus(model.status), **{name: getattr(model, name) for name in FIELDS})
    return Treatment(model.id, model.patient_id, details, model.created_at, model.updated_at)


def _copy(treatment: Treatment, model: TreatmentModel) -> None:
    for name in FIELDS:
        setattr(model, name, getattr(treatment.details, name))
    model.status = str(treatment.details.status)
    model.patient_id = treatment.patient_id


class SqlaTreatmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, treatment: Treatment) -> None:
        model = TreatmentModel(id=treatment.id)
        _copy(treatment, model)
        self._session.add(model)
        await self._session.flush()
        treatment.created_at, treatment.updated_at = model.created_at, model.updated_at

    async def get(self, treatment_id: uuid.UUID) -> Treatment | None:
        model = await self._session.get(TreatmentModel, treatment_id)
        return treatment_of(model) if model else None

    async def save(self, treatment: Treatment) -> None:
        model = await self._session.get_one(TreatmentModel, treatment.id)
        _copy(treatment, model)
        await self._session.flush()
        treatment.updated_at = model.updated_at

    async def list(
        self, patient_id: uuid.UUID | None, status: TreatmentStatus | None, page: PageRequest
    ) -> tuple[list[Treatment], int]:
        query = select(TreatmentModel)
        if patient_id is not None:
            query = query.where(TreatmentModel.patient_id == patient_id)
        if status is not None:
            query = query.where(TreatmentModel.status == str(status))
        rows, total = await paged(self._session, query, page, TreatmentModel.performed_on.desc(), TreatmentModel.id)
        return [treatment_of(model) for model in rows], total
