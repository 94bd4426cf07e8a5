"""python -m dental_service.main.seed: a demo practice in dentaldb (DENTAL_DB_URL; make dev's SQLite file by
default): two dentists, twenty patients and a week of appointments from today. Safe to run again."""

from __future__ import annotations

import asyncio
import sys

from dental_service.main.app import make_container
from dental_service.main.settings import DentalSettings
from dental_service.services.demo import DemoPractice


async def seed() -> int:
    container = make_container(DentalSettings.from_env())
    try:
        async with container() as request:
            outcome = await (await request.get(DemoPractice)).create()
    finally:
        await container.close()
    if not outcome.created:
        print("the demo practice is already there; nothing added")
    else:
        print(
            f"demo practice: {outcome.dentists} dentists, {outcome.patients} patients, "
            f"{outcome.appointments} appointments over the next 7 days"
        )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(seed()))
