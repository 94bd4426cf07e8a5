"""50 bookings of the same dentist and slot at once, each for another patient: exactly one 201 and 49 answers
409 appointment_conflict naming the winner. On PostgreSQL the exclusion constraint decides; the same test runs
on SQLite, where the single writer does."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx

from tests.dental_service.conftest import new_dentist, new_patient
from tests.dental_service.support import at, next_monday

CONCURRENT = 50


def test_fifty_concurrent_bookings_of_one_slot_make_exactly_one_appointment(dental, admin):
    dentist = new_dentist(admin)
    patients = [new_patient(admin) for _ in range(CONCURRENT)]
    start = at(next_monday(2) + timedelta(days=1), 10)
    headers = dental.staff.headers("receptionist")

    async def storm() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=CONCURRENT)
        async with httpx.AsyncClient(base_url=dental.url, headers=headers, timeout=60, limits=limits) as http:
            gate = asyncio.Event()

            async def one(patient: dict) -> httpx.Response:
                await gate.wait()
                body = {
                    "patient_id": patient["id"],
                    "dentist_id": dentist["id"],
                    "start_at": start,
                    "duration_minutes": 30,
                }
                return await http.post("/api/v1/dental/appointments", json=body)

            tasks = [asyncio.create_task(one(patient)) for patient in patients]
            await asyncio.sleep(0.2)
            gate.set()
            return await asyncio.gather(*tasks)

    answers = asyncio.run(storm())
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201] + [409] * (CONCURRENT - 1), [a.text for a in answers if a.status_code not in (201, 409)]
    winner = next(answer.json() for answer in answers if answer.status_code == 201)
    conflicts = [answer.json() for answer in answers if answer.status_code == 409]
    assert {problem["code"] for problem in conflicts} == {"appointment_conflict"}
    assert {problem["conflicting_appointment_id"] for problem in conflicts} == {winner["id"]}
    booked = admin.get("/api/v1/dental/appointments", params={"dentist_id": dentist["id"]}).json()
    assert booked["total"] == 1 and booked["items"][0]["id"] == winner["id"]
