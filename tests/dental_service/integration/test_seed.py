"""make dental-seed: a demo practice (two dentists, twenty patients, a week of appointments from today) on
PostgreSQL and on SQLite, made through the use cases; a second run adds nothing."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from dental_service.adapters.outbound.persistence.models import AppointmentModel, DentistModel, PatientModel
from dental_service.main.seed import seed
from tests.support import databases


@pytest.fixture(params=["postgresql", "sqlite"])
def dental_db(request, tmp_path):
    if request.param == "postgresql":
        with databases.migrated("dental", "dental_seed") as url:
            yield url
        return
    url = f"sqlite+aiosqlite:///{tmp_path}/dental.db"
    databases.migrate("dental", url)
    yield url


def counts(url: str) -> tuple[int, int, int]:
    async def read() -> tuple[int, int, int]:
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            found = tuple(
                [await connection.scalar(select(func.count()).select_from(model)) for model in
                 (DentistModel, PatientModel, AppointmentModel)]
            )  # fmt: skip
        await engine.dispose()
        return found  # type: ignore[return-value]

    return asyncio.run(read())


def test_the_demo_practice(dental_db, monkeypatch, capsys):
    monkeypatch.setenv("DENTAL_DB_URL", dental_db)
    assert asyncio.run(seed()) == 0
    dentists, patients, appointments = counts(dental_db)
    assert (dentists, patients) == (2, 20)
    assert appointments >= 20  # two dentists, the working days of the coming week
    assert "demo practice: 2 dentists, 20 patients" in capsys.readouterr().out
    assert asyncio.run(seed()) == 0
    assert counts(dental_db) == (dentists, patients, appointments)
    assert "already there" in capsys.readouterr().out
