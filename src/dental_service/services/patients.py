"""Patients: registration, edits, deactivation, search; every read or change of clinical fields is logged."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace

from dental_service.domain.errors import ClinicalAccessDenied, PatientNotFound
from dental_service.domain.patients import CLINICAL_FIELDS, ClinicalAccess, Patient, PatientDetails, PatientFilter
from dental_service.domain.practice import Practice, Viewer
from dental_service.ports.repositories import AccessLog, PatientRepository
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork


class PatientService:
    def __init__(self, patients: PatientRepository, log: AccessLog, uow: UnitOfWork, practice: Practice) -> None:
        self._patients = patients
        self._log = log
        self._uow = uow
        self._practice = practice

    async def register(self, viewer: Viewer, details: PatientDetails) -> Patient:
        """A new active patient; clinical fields need dental:clinical:write (ClinicalAccessDenied)."""
        clean = details.clean(self._practice.today())
        written = [name for name in CLINICAL_FIELDS if getattr(clean, name) is not None]
        self._require_write(viewer, written)
        patient = Patient(id=new_id(), details=clean)
        await self._patients.add(patient)
        await self._note(viewer, patient.id, "write", written)
        await self._uow.commit()
        return patient

    async def get(self, viewer: Viewer, patient_id: uuid.UUID) -> Patient:
        """One patient; with dental:clinical:read the clinical fields come along and the read is logged."""
        patient = await self._load(patient_id)
        if viewer.clinical_read:
            await self._note(viewer, patient.id, "read", list(CLINICAL_FIELDS))
            await self._uow.commit()
        return patient

    async def update(self, viewer: Viewer, patient_id: uuid.UUID, changes: Mapping[str, object]) -> Patient:
        """PUT and PATCH: ``changes`` maps PatientDetails field names to new values (None clears an optional
        field); a change of a clinical field needs dental:clinical:write and is logged."""
        patient = await self._load(patient_id)
        clean = replace(patient.details, **changes).clean(self._practice.today())
        changed = patient.details.clinical_changes(clean)
        self._require_write(viewer, changed)
        patient.details = clean
        await self._patients.save(patient)
        await self._note(viewer, patient.id, "write", changed)
        await self._uow.commit()
        return patient

    async def set_active(self, patient_id: uuid.UUID, active: bool) -> Patient:
        """Deactivation keeps the record and its history (there is no hard delete)."""
        patient = await self._load(patient_id)
        patient.active = active
        await self._patients.save(patient)
        await self._uow.commit()
        return patient

    async def search(self, filters: PatientFilter, page: PageRequest) -> tuple[list[Patient], int]:
        return await self._patients.search(filters, page)

    async def access_log(self, patient_id: uuid.UUID | None, page: PageRequest) -> tuple[list[ClinicalAccess], int]:
        return await self._log.list(patient_id, page)

    async def _load(self, patient_id: uuid.UUID) -> Patient:
        patient = await self._patients.get(patient_id)
        if patient is None:
            raise PatientNotFound(f"No patient with id {patient_id}")
        return patient

    @staticmethod
    def _require_write(viewer: Viewer, fields: list[str]) -> None:
        if fields and not viewer.clinical_write:
            raise ClinicalAccessDenied(f"Changing {', '.join(fields)} needs dental:clinical:write", fields=fields)

    async def _note(self, viewer: Viewer, patient_id: uuid.UUID, action: str, fields: list[str]) -> None:
        if fields:
            entry = ClinicalAccess(patient_id, viewer.actor, action, tuple(fields), self._practice.now(), new_id())
            await self._log.record(entry)
