"""What the use cases need from dentaldb. Adapters: ``adapters/outbound/persistence`` (SQLAlchemy)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from dental_service.domain.appointments import Appointment, AppointmentFilter
from dental_service.domain.billing import Balance, EntryKind, LedgerEntry
from dental_service.domain.dentists import Dentist
from dental_service.domain.patients import ClinicalAccess, Patient, PatientFilter
from dental_service.domain.stats import PracticeStats
from dental_service.domain.treatments import Treatment, TreatmentStatus
from qhitz_shared.pagination import PageRequest


class PatientRepository(Protocol):
    async def add(self, patient: Patient) -> None: ...

    async def get(self, patient_id: uuid.UUID) -> Patient | None: ...

    async def lock(self, patient_id: uuid.UUID) -> Patient | None:
        """``get``, and the patient stays locked until the transaction ends: two transactions that lock the same
        patient run one after the other, the second reading what the first committed (PostgreSQL: the patient's
        row, ``FOR NO KEY UPDATE``; SQLite: the single write lock). Take it before reading what the write
        depends on."""

    async def save(self, patient: Patient) -> None: ...

    async def search(self, filters: PatientFilter, page: PageRequest) -> tuple[list[Patient], int]: ...


class AccessLog(Protocol):
    """Append-only: entries are added, never changed or removed."""

    async def record(self, entry: ClinicalAccess) -> None: ...

    async def list(self, patient_id: uuid.UUID | None, page: PageRequest) -> tuple[list[ClinicalAccess], int]: ...


class DentistRepository(Protocol):
    async def add(self, dentist: Dentist) -> None:
        """LicenseNumberTaken / DentistAccountTaken when another dentist has the license number or the account."""

    async def get(self, dentist_id: uuid.UUID) -> Dentist | None: ...

    async def for_user(self, user_id: uuid.UUID) -> Dentist | None: ...

    async def save(self, dentist: Dentist) -> None: ...

    async def list(self, active_only: bool, page: PageRequest) -> tuple[list[Dentist], int]: ...


class AppointmentRepository(Protocol):
    async def book(self, appointment: Appointment) -> None:
        """Adds the appointment, or AppointmentConflict naming a live appointment of the same dentist or patient
        that overlaps it (enforced by the database on PostgreSQL, by the single writer on SQLite)."""

    async def reschedule(self, appointment: Appointment) -> None:
        """Saves a new start/duration under the same no-overlap rule as ``book``."""

    async def get(self, appointment_id: uuid.UUID) -> Appointment | None: ...

    async def save(self, appointment: Appointment) -> None: ...

    async def list(self, filters: AppointmentFilter, page: PageRequest) -> tuple[list[Appointment], int]: ...

    async def busy(self, dentist_id: uuid.UUID, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The [start, end) ranges of the dentist's live appointments overlapping [start, end)."""

    async def upcoming(self, dentist_id: uuid.UUID, after: datetime, limit: int) -> Sequence[Appointment]: ...


class TreatmentRepository(Protocol):
    async def add(self, treatment: Treatment) -> None: ...

    async def get(self, treatment_id: uuid.UUID) -> Treatment | None: ...

    async def save(self, treatment: Treatment) -> None: ...

    async def list(
        self, patient_id: uuid.UUID | None, status: TreatmentStatus | None, page: PageRequest
    ) -> tuple[list[Treatment], int]: ...


class Ledger(Protocol):
    """Append-only: entries are added, never changed or removed."""

    async def append(self, entry: LedgerEntry) -> None: ...

    async def entries(
        self, patient_id: uuid.UUID, kind: EntryKind | None, page: PageRequest
    ) -> tuple[list[LedgerEntry], int]: ...

    async def balance(self, patient_id: uuid.UUID) -> Balance: ...

    async def credited_to(self, treatment_id: uuid.UUID) -> Decimal: ...

    async def paid_in(self, patient_id: uuid.UUID) -> Decimal:
        """Payments minus refunds so far: what a new refund may give back at most."""


class StatsQueries(Protocol):
    async def practice(self, start: date, end: date, zone_key: str) -> PracticeStats:
        """Statistics of the local days [start, end] of the practice time zone ``zone_key``."""
