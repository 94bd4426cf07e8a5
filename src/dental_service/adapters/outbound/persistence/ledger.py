"""SqlaLedger: the append-only billing ledger and the balances derived from it."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dental_service.adapters.outbound.persistence.models import LedgerEntryModel, TreatmentModel
from dental_service.domain.billing import ZERO, Balance, EntryKind, LedgerEntry, PaymentMethod, TreatmentBalance
from dental_service.domain.treatments import TreatmentStatus
from qhitz_shared.db import paged
from qhitz_shared.pagination import PageRequest


def entry_of(row: LedgerEntryModel) -> LedgerEntry:
    return LedgerEntry(
        id=row.id,
        patient_id=row.patient_id,
        kind=EntryKind(row.kind),
        amount=row.amount,
        entry_date=row.entry_date,
        recorded_by=row.recorded_by,
        method=None if row.method is None else PaymentMethod(row.method),
        treatment_id=row.treatment_id,
        reason=row.reason,
        created_at=row.created_at,
    )


class SqlaLedger:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def append(self, entry: LedgerEntry) -> None:
        self._session.add(
            LedgerEntryModel(
                id=entry.id,
                patient_id=entry.patient_id,
                treatment_id=entry.treatment_id,
                kind=str(entry.kind),
                amount=entry.amount,
                method=None if entry.method is None else str(entry.method),
                entry_date=entry.entry_date,
                reason=entry.reason,
                recorded_by=entry.recorded_by,
            )
        )
        await self._session.flush()

    async def entries(
        self, patient_id: uuid.UUID, kind: EntryKind | None, page: PageRequest
    ) -> tuple[list[LedgerEntry], int]:
        query = select(LedgerEntryModel).where(LedgerEntryModel.patient_id == patient_id)
        if kind is not None:
            query = query.where(LedgerEntryModel.kind == str(kind))
        rows, total = await paged(
            self._session, query, page, LedgerEntryModel.entry_date.desc(), LedgerEntryModel.id.desc()
        )
        return [entry_of(row) for row in rows], total

    async def balance(self, patient_id: uuid.UUID) -> Balance:
        credited_by_treatment = dict(
            (
                await self._session.execute(
                    select(LedgerEntryModel.treatment_id, func.sum(LedgerEntryModel.amount))
                    .where(LedgerEntryModel.patient_id == patient_id, LedgerEntryModel.treatment_id.is_not(None))
                    .group_by(LedgerEntryModel.treatment_id)
                )
            ).all()
        )
        treatments = (
            await self._session.execute(
                select(TreatmentModel.id, TreatmentModel.name, TreatmentModel.fee, TreatmentModel.status)
                .where(TreatmentModel.patient_id == patient_id)
                .order_by(TreatmentModel.performed_on, TreatmentModel.id)
            )
        ).all()
        credited = await self._sum(LedgerEntryModel.patient_id == patient_id)
        lines = [
            TreatmentBalance(row.id, row.name, row.fee, credited_by_treatment.get(row.id) or ZERO, row.status)
            for row in treatments
        ]
        charged = sum((line.fee for line in lines if line.status == TreatmentStatus.COMPLETED), ZERO)
        return Balance(patient_id, charged, credited, lines)

    async def credited_to(self, treatment_id: uuid.UUID) -> Decimal:
        return await self._sum(LedgerEntryModel.treatment_id == treatment_id)

    async def paid_in(self, patient_id: uuid.UUID) -> Decimal:
        kinds = [str(EntryKind.PAYMENT), str(EntryKind.REFUND)]
        return await self._sum(LedgerEntryModel.patient_id == patient_id, LedgerEntryModel.kind.in_(kinds))

    async def _sum(self, *where: object) -> Decimal:
        total = await self._session.scalar(select(func.sum(LedgerEntryModel.amount)).where(*where))  # type: ignore[arg-type]
        return total if total is not None else ZERO
