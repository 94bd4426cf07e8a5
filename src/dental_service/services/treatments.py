"""Treatments: planned and completed procedures of a patient, optionally tied to one of their appointments."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace

from dental_service.domain.errors import AppointmentNotFound, InvalidTreatmentData, PatientNotFound, TreatmentNotFound
from dental_service.domain.treatments import Treatment, TreatmentDetails, TreatmentStatus
from dental_service.ports.repositories import AppointmentRepository, PatientRepository, TreatmentRepository
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork


class TreatmentService:
    def __init__(
        self,
        treatments: TreatmentRepository,
        patients: PatientRepository,
        appointments: AppointmentRepository,
        uow: UnitOfWork,
    ) -> None:
        self._treatments = treatments
        self._patients = patients
        self._appointments = appointments
        self._uow = uow

    async def add(self, patient_id: uuid.UUID, details: TreatmentDetails) -> Treatment:
        if await self._patients.get(patient_id) is None:
            raise PatientNotFound(f"No patient with id {patient_id}", field="patient_id")
        clean = details.clean()
        await self._check_appointment(patient_id, clean.appointment_id)
        treatment = Treatment(id=new_id(), patient_id=patient_id, details=clean)
        await self._treatments.add(treatment)
        await self._uow.commit()
        return treatment

    async def get(self, treatment_id: uuid.UUID) -> Treatment:
        treatment = await self._treatments.get(treatment_id)
        if treatment is None:
            raise TreatmentNotFound(f"No treatment with id {treatment_id}")
        return treatment

    async def update(self, treatment_id: uuid.UUID, changes: Mapping[str, object]) -> Treatment:
        """A completed treatment stays completed: its fee is production the ledger may already refer to."""
        treatment = await self.get(treatment_id)
        clean = replace(treatment.details, **changes).clean()
        if treatment.details.status is TreatmentStatus.COMPLETED and clean.status is not TreatmentStatus.COMPLETED:
            raise InvalidTreatmentData("A completed treatment cannot go back to planned", field="status")
        await self._check_appointment(treatment.patient_id, clean.appointment_id)
        treatment.details = clean
        await self._treatments.save(treatment)
        await self._uow.commit()
        return treatment

    async def list(
        self, patient_id: uuid.UUID | None, status: TreatmentStatus | None, page: PageRequest
    ) -> tuple[list[Treatment], int]:
        return await self._treatments.list(patient_id, status, page)

    async def _check_appointment(self, patient_id: uuid.UUID, appointment_id: uuid.UUID | None) -> None:
        if appointment_id is None:
            return
        appointment = await self._appointments.get(appointment_id)
        if appointment is None:
            raise AppointmentNotFound(f"No appointment with id {appointment_id}", field="appointment_id")
        if appointment.patient_id != patient_id:
            raise InvalidTreatmentData("The appointment is another patient's", field="appointment_id")
