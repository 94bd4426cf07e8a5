"""Bodies of treatments, the ledger, balances and the statistics. Money is decimal text ("120.50") on the way
in and a Decimal (encoded as text) on the way out: never a float."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from dental_service.adapters.inbound.http.dto_appointments import Reason
from dental_service.domain.billing import Balance, EntryKind, LedgerEntry, PaymentMethod, PaymentStatus
from dental_service.domain.stats import PracticeStats
from dental_service.domain.treatments import MAX_TREATMENT_NAME, MAX_TREATMENT_NOTES, Treatment, TreatmentStatus
from qhitz_shared.http.inputs import Text

Unset = msgspec.UnsetType
UNSET = msgspec.UNSET

# Money travels as decimal text ("120.50"): a JSON number would be a float to most clients.
Fee = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{1,8}(\.[0-9]{1,2})?$", max_length=11, examples=["120.50"])]
Amount = Annotated[str, msgspec.Meta(pattern=r"^-?[0-9]{1,8}(\.[0-9]{1,2})?$", max_length=12, examples=["50.00"])]


class TreatmentIn(msgspec.Struct, forbid_unknown_fields=True):
    patient_id: uuid.UUID
    name: Text(MAX_TREATMENT_NAME, min_length=1)  # type: ignore[valid-type]
    performed_on: date
    fee: Fee
    status: TreatmentStatus = TreatmentStatus.PLANNED
    procedure_code: Text(5, normalised=False) | None = None  # type: ignore[valid-type]
    tooth: Text(2, normalised=False) | None = None  # type: ignore[valid-type]
    surfaces: Text(7, normalised=False) | None = None  # type: ignore[valid-type]
    notes: Text(MAX_TREATMENT_NOTES) | None = None  # type: ignore[valid-type]
    appointment_id: uuid.UUID | None = None


class TreatmentPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: Text(MAX_TREATMENT_NAME, min_length=1) | Unset = UNSET  # type: ignore[valid-type]
    performed_on: date | Unset = UNSET
    fee: Fee | Unset = UNSET
    status: TreatmentStatus | Unset = UNSET
    procedure_code: Text(5, normalised=False) | Unset | None = UNSET  # type: ignore[valid-type]
    tooth: Text(2, normalised=False) | Unset | None = UNSET  # type: ignore[valid-type]
    surfaces: Text(7, normalised=False) | Unset | None = UNSET  # type: ignore[valid-type]
    notes: Text(MAX_TREATMENT_NOTES) | Unset | None = UNSET  # type: ignore[valid-type]
    appointment_id: uuid.UUID | Unset | None = UNSET


class TreatmentOut(msgspec.Struct):
    id: uuid.UUID
    patient_id: uuid.UUID
    appointment_id: uuid.UUID | None
    name: str
    procedure_code: str | None
    tooth: str | None
    surfaces: str | None
    performed_on: date
    fee: Decimal
    status: TreatmentStatus
    notes: str | None
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def of(cls, t: Treatment) -> TreatmentOut:
        d = t.details
        return cls(
            t.id, t.patient_id, d.appointment_id, d.name, d.procedure_code, d.tooth, d.surfaces, d.performed_on,
            d.fee, d.status, d.notes, t.created_at, t.updated_at,
        )  # fmt: skip


class EntryIn(msgspec.Struct, forbid_unknown_fields=True):
    """A payment (amount > 0, method required), an adjustment (signed, reason required) or a refund (given
    positive or negative, stored negative; reason required). entry_date defaults to today."""

    kind: EntryKind
    amount: Amount
    entry_date: date | None = None
    method: PaymentMethod | None = None
    treatment_id: uuid.UUID | None = None
    reason: Reason | None = None


class EntryOut(msgspec.Struct):
    id: uuid.UUID
    patient_id: uuid.UUID
    kind: EntryKind
    amount: Decimal
    entry_date: date
    method: PaymentMethod | None
    treatment_id: uuid.UUID | None
    reason: str | None
    recorded_by: str
    created_at: datetime | None

    @classmethod
    def of(cls, e: LedgerEntry) -> EntryOut:
        return cls(
            e.id, e.patient_id, e.kind, e.amount, e.entry_date, e.method, e.treatment_id, e.reason, e.recorded_by,
            e.created_at,
        )  # fmt: skip


class TreatmentBalanceOut(msgspec.Struct):
    treatment_id: uuid.UUID
    name: str
    status: str
    fee: Decimal
    credited: Decimal
    payment_status: PaymentStatus


class BalanceOut(msgspec.Struct):
    """balance = charged (completed treatments' fees) - credited (the ledger's sum); positive: the patient owes."""

    patient_id: uuid.UUID
    charged: Decimal
    credited: Decimal
    balance: Decimal
    treatments: list[TreatmentBalanceOut]

    @classmethod
    def of(cls, b: Balance) -> BalanceOut:
        lines = [
            TreatmentBalanceOut(t.treatment_id, t.name, t.status, t.fee, t.credited, t.payment_status)
            for t in b.treatments
        ]
        return cls(b.patient_id, b.charged, b.credited, b.balance, lines)


class MonthOut(msgspec.Struct):
    month: str
    production: Decimal
    collections: Decimal


class ProcedureOut(msgspec.Struct):
    procedure_code: str | None
    name: str
    count: int
    production: Decimal


class ChairHoursOut(msgspec.Struct):
    dentist_id: uuid.UUID
    name: str
    hours: Decimal


class StatsOut(msgspec.Struct):
    """Over the local days [date_from, date_to] of the practice's time zone. production: fees of completed
    treatments; collections: payments minus refunds; no_show_rate: no_show / (completed + no_show)."""

    date_from: date
    date_to: date
    active_patients: int
    new_patients: int
    appointments_by_status: dict[str, int]
    no_show_rate: Decimal
    months: list[MonthOut]
    top_procedures: list[ProcedureOut]
    chair_hours: list[ChairHoursOut]

    @classmethod
    def of(cls, start: date, end: date, s: PracticeStats) -> StatsOut:
        return cls(
            date_from=start,
            date_to=end,
            active_patients=s.active_patients,
            new_patients=s.new_patients,
            appointments_by_status=s.appointments_by_status,
            no_show_rate=s.no_show_rate,
            months=[MonthOut(m.month, m.production, m.collections) for m in s.months],
            top_procedures=[ProcedureOut(p.procedure_code, p.name, p.count, p.production) for p in s.top_procedures],
            chair_hours=[ChairHoursOut(c.dentist_id, c.name, c.hours) for c in s.chair_hours],
        )
