"""SQLAlchemy models of dentaldb. ORM objects never leave this package.

No double booking: on PostgreSQL two exclusion constraints (btree_gist), created by the migration, refuse a live
appointment overlapping another of the same dentist or the same patient; SQLite has no such constraint and relies
on its single writer (``appointments.py``).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, Boolean, Date, Dialect, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

BIND_KEY = "dental"
NO_OVERLAP_DENTIST = "ex_appointments_dentist_no_overlap"
NO_OVERLAP_PATIENT = "ex_appointments_patient_no_overlap"


class Money(TypeDecorator[Decimal]):
    """An exact amount with two decimals: NUMERIC(10, 2) on PostgreSQL; integer cents on SQLite, whose NUMERIC
    affinity would store a REAL. Python sees ``Decimal`` either way, never a float."""

    impl = Numeric(10, 2, asdecimal=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Integer())
        return dialect.type_descriptor(Numeric(10, 2, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return int((Decimal(value) * 100).to_integral_exact())

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))
        return Decimal(value).quantize(Decimal("0.01"))


class DentalBase(UUIDv7AuditBase):
    __abstract__ = True
    __bind_key__ = BIND_KEY


metadata = DentalBase.metadata


class PatientModel(DentalBase):
    __tablename__ = "patients"
    __table_args__ = (Index("ix_patients_name", "last_name", "first_name"),)
    first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    last_name: Mapped[str] = mapped_column(String(100), nullable=False)
    date_of_birth: Mapped[date] = mapped_column(Date, nullable=False)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True, index=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    address: Mapped[str | None] = mapped_column(String(500), nullable=True)
    emergency_contact_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    emergency_contact_phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    insurance_provider: Mapped[str | None] = mapped_column(String(200), nullable=True)
    insurance_member_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    allergies: Mapped[str | None] = mapped_column(Text, nullable=True)
    medical_notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class ClinicalAccessModel(DentalBase):
    """Append-only (triggers refuse UPDATE and DELETE): who read or changed which clinical fields, when."""

    __tablename__ = "clinical_access_log"
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), nullable=False, index=True)
    actor: Mapped[str] = mapped_column(String(255), nullable=False)
    action: Mapped[str] = mapped_column(String(8), nullable=False)
    fields: Mapped[str] = mapped_column(String(255), nullable=False)  # comma-separated field names
    at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False, index=True)


class DentistModel(DentalBase):
    __tablename__ = "dentists"
    first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    last_name: Mapped[str] = mapped_column(String(100), nullable=False)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    specialization: Mapped[str | None] = mapped_column(String(200), nullable=True)
    license_number: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(GUID, nullable=True, unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    # {"monday": ["09:00", "17:00"], ...} and [{"name": ..., "duration_minutes": ...}, ...]
    working_hours: Mapped[dict[str, list[str]]] = mapped_column(JSON, nullable=False, default=dict)
    appointment_types: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)


class AppointmentModel(DentalBase):
    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_dentist_start", "dentist_id", "start_at"),
        Index("ix_appointments_patient_start", "patient_id", "start_at"),
        Index("ix_appointments_start", "start_at"),
    )
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), nullable=False)
    dentist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dentists.id"), nullable=False)
    start_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    end_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    cancel_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)


class TreatmentModel(DentalBase):
    __tablename__ = "treatments"
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), nullable=False, index=True)
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointments.id"), nullable=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    procedure_code: Mapped[str | None] = mapped_column(String(5), nullable=True)
    tooth: Mapped[str | None] = mapped_column(String(2), nullable=True)
    surfaces: Mapped[str | None] = mapped_column(String(7), nullable=True)
    performed_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    fee: Mapped[Decimal] = mapped_column(Money, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class LedgerEntryModel(DentalBase):
    """Append-only (triggers refuse UPDATE and DELETE): payments, adjustments and refunds of a patient."""

    __tablename__ = "ledger_entries"
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), nullable=False, index=True)
    treatment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("treatments.id"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    method: Mapped[str | None] = mapped_column(String(16), nullable=True)
    entry_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(255), nullable=False)
