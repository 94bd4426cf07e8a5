"""Billing: payments, adjustments and refunds appended to a patient's ledger; balances derived from it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dental_service.domain.billing import (
    Balance,
    EntryKind,
    LedgerEntry,
    PaymentMethod,
    entry_amount,
    entry_reason,
)
from dental_service.domain.errors import InvalidLedgerEntry, PatientNotFound, TreatmentNotFound
from dental_service.domain.practice import Practice
from dental_service.ports.repositories import Ledger, PatientRepository, TreatmentRepository
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class EntryRequest:
    kind: EntryKind
    amount: Decimal
    entry_date: date | None = None
    method: PaymentMethod | None = None
    treatment_id: uuid.UUID | None = None
    reason: str | None = None


class BillingService:
    def __init__(
        self,
        ledger: Ledger,
        patients: PatientRepository,
        treatments: TreatmentRepository,
        uow: UnitOfWork,
        practice: Practice,
    ) -> None:
        self._ledger = ledger
        self._patients = patients
        self._treatments = treatments
        self._uow = uow
        self._practice = practice

    async def record(self, actor: str, patient_id: uuid.UUID, request: EntryRequest) -> LedgerEntry:
        """Appends one entry. Payments need a method; a refund never gives back more than was paid in.

        Every append locks the patient first, so whatever it checks against the patient's ledger (what was paid
        in, for a refund) cannot be changed by a concurrent append before this one commits."""
        if await self._patients.lock(patient_id) is None:
            raise PatientNotFound(f"No patient with id {patient_id}")
        amount = entry_amount(request.kind, request.amount)
        reason = entry_reason(request.kind, request.reason)
        if request.kind is EntryKind.PAYMENT and request.method is None:
            raise InvalidLedgerEntry("a payment needs a method", field="method")
        if request.treatment_id is not None:
            treatment = await self._treatments.get(request.treatment_id)
            if treatment is None:
                raise TreatmentNotFound(f"No treatment with id {request.treatment_id}", field="treatment_id")
            if treatment.patient_id != patient_id:
                raise InvalidLedgerEntry("The treatment is another patient's", field="treatment_id")
        if request.kind is EntryKind.REFUND and -amount > await self._ledger.paid_in(patient_id):
            raise InvalidLedgerEntry("A refund cannot exceed what the patient has paid", field="amount")
        entry_date = request.entry_date or self._practice.today()
        if entry_date > self._practice.today():
            raise InvalidLedgerEntry("entry_date cannot be in the future", field="entry_date")
        entry = LedgerEntry(
            id=new_id(),
            patient_id=patient_id,
            kind=request.kind,
            amount=amount,
            entry_date=entry_date,
            recorded_by=actor,
            method=request.method,
            treatment_id=request.treatment_id,
            reason=reason,
            created_at=self._practice.now(),
        )
        await self._ledger.append(entry)
        await self._uow.commit()
        return entry

    async def entries(
        self, patient_id: uuid.UUID, kind: EntryKind | None, page: PageRequest
    ) -> tuple[list[LedgerEntry], int]:
        await self._patient(patient_id)
        return await self._ledger.entries(patient_id, kind, page)

    async def balance(self, patient_id: uuid.UUID) -> Balance:
        await self._patient(patient_id)
        return await self._ledger.balance(patient_id)

    async def _patient(self, patient_id: uuid.UUID) -> None:
        if await self._patients.get(patient_id) is None:
            raise PatientNotFound(f"No patient with id {patient_id}")
