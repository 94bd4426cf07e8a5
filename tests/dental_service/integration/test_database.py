"""dentaldb itself: the migration stairway on PostgreSQL and SQLite, the exclusion constraints refusing an
overlapping live appointment whatever the application does, the append-only ledger and access log, and money
kept exact on both databases."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from dental_service.adapters.outbound.persistence.models import (
    NO_OVERLAP_DENTIST,
    NO_OVERLAP_PATIENT,
    AppointmentModel,
    DentistModel,
    LedgerEntryModel,
    PatientModel,
)
from qhitz_shared.db import violated_constraint
from qhitz_shared.ids import new_id
from tests.support import databases

TABLES = {"patients", "dentists", "appointments", "treatments", "ledger_entries", "clinical_access_log"}


@pytest.fixture(params=["postgresql", "sqlite"])
def empty_db(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/dental.db"
        return
    name = databases.create_database("dental_db")
    try:
        yield databases.async_url(name)
    finally:
        databases.drop_database(name)


def tables(url: str) -> set[str]:
    async def read() -> set[str]:
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: set(sync.dialect.get_table_names(sync)))
        await engine.dispose()
        return names

    return asyncio.run(read())


def test_stairway(empty_db):
    databases.migrate("dental", empty_db)
    assert tables(empty_db) >= TABLES
    databases.downgrade("dental", empty_db)
    assert tables(empty_db) <= {"alembic_version"}
    databases.migrate("dental", empty_db)
    assert tables(empty_db) >= TABLES


def rows() -> tuple[dict, dict, dict]:
    now = datetime.now(UTC)
    stamps = {"created_at": now, "updated_at": now}
    patient = {"id": new_id(), "first_name": "A", "last_name": "B", "date_of_birth": now.date(), "active": True}
    dentist = {"id": new_id(), "first_name": "C", "last_name": "D", "license_number": uuid.uuid4().hex[:12].upper()}
    dentist |= {"active": True, "working_hours": {}, "appointment_types": []}
    return patient | stamps, dentist | stamps, stamps


def appointment(patient: dict, dentist: dict, stamps: dict, start: datetime, status: str = "booked") -> dict:
    return {
        "id": new_id(),
        "patient_id": patient["id"],
        "dentist_id": dentist["id"],
        "start_at": start,
        "end_at": start + timedelta(minutes=30),
        "duration_minutes": 30,
        "status": status,
        **stamps,
    }


def test_postgresql_refuses_overlapping_live_appointments_by_itself():
    with databases.migrated("dental", "dental_exclusion") as url:

        async def run() -> list[str]:
            engine = create_async_engine(url)
            refused = []
            patient, dentist, stamps = rows()
            other_patient, other_dentist, _ = rows()
            start = datetime(2031, 1, 6, 9, tzinfo=UTC)
            async with engine.begin() as connection:
                await connection.execute(insert(PatientModel), [patient, other_patient])
                await connection.execute(insert(DentistModel), [dentist, other_dentist])
                await connection.execute(insert(AppointmentModel), [appointment(patient, dentist, stamps, start)])
                # cancelled and back-to-back rows pass
                await connection.execute(
                    insert(AppointmentModel),
                    [
                        appointment(other_patient, dentist, stamps, start, "cancelled"),
                        appointment(other_patient, dentist, stamps, start + timedelta(minutes=30)),
                    ],
                )
            clashes = [
                appointment(other_patient, dentist, stamps, start + timedelta(minutes=10)),
                appointment(patient, other_dentist, stamps, start + timedelta(minutes=20)),
            ]
            for row in clashes:
                try:
                    async with engine.begin() as connection:
                        await connection.execute(insert(AppointmentModel), [row])
                except IntegrityError as exc:
                    refused.append(violated_constraint(exc))
            await engine.dispose()
            return refused

        assert asyncio.run(run()) == [NO_OVERLAP_DENTIST, NO_OVERLAP_PATIENT]


def test_the_ledger_is_append_only_and_exact(empty_db):
    databases.migrate("dental", empty_db)

    async def run() -> tuple[Decimal, list[str]]:
        engine = create_async_engine(empty_db)
        patient, _, stamps = rows()
        entry = {"id": new_id(), "patient_id": patient["id"], "kind": "payment", "amount": Decimal("0.10")}
        entry |= {"method": "cash", "entry_date": stamps["created_at"].date(), "recorded_by": "x", **stamps}
        async with engine.begin() as connection:
            await connection.execute(insert(PatientModel), [patient])
            for _ in range(3):
                await connection.execute(insert(LedgerEntryModel), [{**entry, "id": new_id()}])
        async with engine.connect() as connection:
            total = await connection.scalar(select(func.sum(LedgerEntryModel.amount)))
        refused = []
        for statement in ("UPDATE ledger_entries SET reason = 'x'", "DELETE FROM ledger_entries"):
            try:
                async with engine.begin() as connection:
                    await connection.execute(text(statement))
            except DBAPIError as exc:
                refused.append("append-only" in str(exc))
        await engine.dispose()
        return total, refused

    total, refused = asyncio.run(run())
    assert total == Decimal("0.30") and isinstance(total, Decimal)  # 0.1 + 0.1 + 0.1, exactly
    assert refused == [True, True]
