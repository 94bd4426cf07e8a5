"""SqlaPatientRepository and the append-only SqlaAccessLog."""

from __future__ import annotations

import uuid
from dataclasses import fields

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from dental_service.adapters.outbound.persistence.locks import SqliteWriteLock
from dental_service.adapters.outbound.persistence.models import ClinicalAccessModel, PatientModel
from dental_service.domain.patients import ClinicalAccess, Patient, PatientDetails, PatientFilter
from qhitz_shared.db import escape_like, paged
from qhitz_shared.pagination import PageRequest

DETAIL_FIELDS = tuple(item.name for item in fields(PatientDetails))
_WRITE_LOCK = SqliteWriteLock("patients")


def patient_of(model: PatientModel) -> Patient:
    details = PatientDetails(**{name: getattr(model, name) for name in DETAIL_FIELDS})
    return Patient(model.id, details, model.active, model.created_at, model.updated_at)


def _copy(patient: Patient, model: PatientModel) -> None:
    for name in DETAIL_FIELDS:
        setattr(model, name, getattr(patient.details, name))
    model.active = patient.active


class SqlaPatientRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, patient: Patient) -> None:
        model = PatientModel(id=patient.id)
        _copy(patient, model)
        self._session.add(model)
        await self._session.flush()
        patient.created_at, patient.updated_at = model.created_at, model.updated_at

    async def get(self, patient_id: uuid.UUID) -> Patient | None:
        model = await self._session.get(PatientModel, patient_id)
        return patient_of(model) if model else None

    async def lock(self, patient_id: uuid.UUID) -> Patient | None:
        """FOR NO KEY UPDATE, not FOR UPDATE: it still serialises the lockers, but does not hold back the foreign
        key checks (FOR KEY SHARE) of rows inserted for the patient meanwhile, such as an appointment."""
        await _WRITE_LOCK.take(self._session, patient_id)
        model = await self._session.get(
            PatientModel, patient_id, with_for_update={"key_share": True}, populate_existing=True
        )
        return patient_of(model) if model else None

    async def save(self, patient: Patient) -> None:
        model = await self._session.get_one(PatientModel, patient.id)
        _copy(patient, model)
        await self._session.flush()
        patient.updated_at = model.updated_at

    async def search(self, filters: PatientFilter, page: PageRequest) -> tuple[list[Patient], int]:
        """``q`` matches a name, the email or the phone (case-insensitive substring; digits of a phone)."""
        query = select(PatientModel)
        if filters.active_only:
            query = query.where(PatientModel.active.is_(True))
        if filters.q and filters.q.strip():
            text = filters.q.strip().lower()
            pattern = f"%{escape_like(text)}%"
            matches = [
                func.lower(PatientModel.first_name).like(pattern, escape="\\"),
                func.lower(PatientModel.last_name).like(pattern, escape="\\"),
                func.lower(PatientModel.first_name + " " + PatientModel.last_name).like(pattern, escape="\\"),
                PatientModel.email.like(pattern, escape="\\"),
            ]
            digits = "".join(ch for ch in text if ch.isdigit())
            if len(digits) >= 3:
                matches.append(PatientModel.phone.like(f"%{digits}%"))
            query = query.where(or_(*matches))
        rows, total = await paged(
            self._session, query, page, PatientModel.last_name, PatientModel.first_name, PatientModel.id
        )
        return [patient_of(model) for model in rows], total


class SqlaAccessLog:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, entry: ClinicalAccess) -> None:
        self._session.add(
            ClinicalAccessModel(
                id=entry.id,
                patient_id=entry.patient_id,
                actor=entry.actor,
                action=entry.action,
                fields=",".join(entry.fields),
                at=entry.at,
            )
        )
        await self._session.flush()

    async def list(self, patient_id: uuid.UUID | None, page: PageRequest) -> tuple[list[ClinicalAccess], int]:
        query = select(ClinicalAccessModel)
        if patient_id is not None:
            query = query.where(ClinicalAccessModel.patient_id == patient_id)
        order = (ClinicalAccessModel.at.desc(), ClinicalAccessModel.id.desc())
        rows, total = await paged(self._session, query, page, *order)
        entries = [
            ClinicalAccess(row.patient_id, row.actor, row.action, tuple(row.fields.split(",")), row.at, row.id)
            for row in rows
        ]
        return entries, total
