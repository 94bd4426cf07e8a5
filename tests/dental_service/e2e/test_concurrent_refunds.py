"""20 refunds of 10.00 at once for a patient who paid 100.00: exactly ten 201 and ten 422 invalid_ledger_entry,
and what was paid in never goes below zero. Each refund locks the patient before it reads what was paid in
(PostgreSQL: the patient's row; SQLite: the single write lock), so the checks run one after the other."""

from __future__ import annotations

import asyncio

import httpx

from tests.dental_service.conftest import new_patient

CONCURRENT = 20


def test_twenty_concurrent_refunds_never_give_back_more_than_was_paid_in(dental, admin):
    patient = new_patient(admin)
    ledger = f"/api/v1/dental/patients/{patient['id']}/ledger"
    paid = admin.post(ledger, json={"kind": "payment", "method": "cash", "amount": "100.00"})
    assert paid.status_code == 201, paid.text
    headers = dental.staff.headers("receptionist")

    async def storm() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=CONCURRENT)
        async with httpx.AsyncClient(base_url=dental.url, headers=headers, timeout=60, limits=limits) as http:
            gate = asyncio.Event()

            async def one() -> httpx.Response:
                await gate.wait()
                return await http.post(ledger, json={"kind": "refund", "amount": "10.00", "reason": "Goodwill"})

            tasks = [asyncio.create_task(one()) for _ in range(CONCURRENT)]
            await asyncio.sleep(0.2)
            gate.set()
            return await asyncio.gather(*tasks)

    answers = asyncio.run(storm())
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201] * 10 + [422] * 10, [a.text for a in answers if a.status_code not in (201, 422)]
    refused = [answer.json() for answer in answers if answer.status_code == 422]
    assert {(problem["code"], problem["field"]) for problem in refused} == {("invalid_ledger_entry", "amount")}
    refunds = admin.get(ledger, params={"kind": "refund", "per_page": 100}).json()
    assert refunds["total"] == 10 and {entry["amount"] for entry in refunds["items"]} == {"-10.00"}
    balance = admin.get(f"/api/v1/dental/patients/{patient['id']}/balance").json()
    assert balance["credited"] == "0.00" and balance["balance"] == "0.00", balance
