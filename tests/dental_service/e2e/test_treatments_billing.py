"""Treatments and billing over real HTTP on PostgreSQL and SQLite: CDT codes, Universal teeth, surfaces, exact
fees; the append-only ledger (payments, adjustments, refunds) and what it derives; the practice statistics."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.dental_service.conftest import new_dentist, new_patient
from tests.dental_service.support import at, next_monday


def treatment(http, patient, **fields):
    body = {"patient_id": patient["id"], "name": "Composite filling", "performed_on": "2026-01-15", "fee": "120.50"}
    return http.post("/api/v1/dental/treatments", json={**body, **fields})


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("procedure_code", "d2391", "D2391"),
        ("tooth", "08", "8"),
        ("tooth", "32", "32"),
        ("tooth", "t", "T"),
        ("surfaces", "DOM", "MOD"),
        ("surfaces", "bl", "BL"),
    ],
)
def test_codes_teeth_and_surfaces_are_normalised(dental, field, value, stored):
    with dental.client("dentist") as dentist:
        answer = treatment(dentist, new_patient(dentist), **{field: value})
        assert answer.status_code == 201, answer.text
        assert answer.json()[field] == stored


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("procedure_code", "D239"),
        ("procedure_code", "X2391"),
        ("tooth", "33"),
        ("tooth", "0"),
        ("tooth", "U"),
        ("surfaces", "MX"),
        ("surfaces", "MM"),
    ],
)
def test_invalid_codes_teeth_surfaces_and_fees_are_refused(dental, field, value):
    with dental.client("dentist") as dentist:
        answer = treatment(dentist, new_patient(dentist), **{field: value})
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == "invalid_treatment_data" and answer.json()["field"] == field


@pytest.mark.parametrize("fee", ["12.345", "-1.00", "100000000.00", "1e3", "NaN", " 5"])
def test_fees_outside_numeric_10_2_are_refused_at_the_boundary(admin, fee):
    answer = treatment(admin, new_patient(admin), fee=fee)
    assert answer.status_code == 400 and answer.json()["code"] == "validation_failed", answer.text


def test_fees_are_exact_decimals_and_appointments_must_be_the_patients(admin):
    patient, other = new_patient(admin), new_patient(admin)
    created = treatment(admin, patient, fee="0.10")
    assert created.json()["fee"] == "0.10"  # a decimal string, never a float
    assert treatment(admin, patient, fee="7").json()["fee"] == "7.00"
    assert treatment(admin, patient, fee=0.3).status_code == 400  # money is decimal text, never a JSON float
    dentist = new_dentist(admin)
    day = next_monday() + timedelta(days=2)
    visit = admin.post(
        "/api/v1/dental/appointments",
        json={"patient_id": other["id"], "dentist_id": dentist["id"], "start_at": at(day, 15), "duration_minutes": 30},
    ).json()
    wrong = treatment(admin, patient, appointment_id=visit["id"])
    assert wrong.status_code == 422 and wrong.json()["field"] == "appointment_id"
    right = treatment(admin, other, appointment_id=visit["id"])
    assert right.status_code == 201
    completed = admin.patch(f"/api/v1/dental/treatments/{right.json()['id']}", json={"status": "completed"})
    assert completed.json()["status"] == "completed"
    back = admin.patch(f"/api/v1/dental/treatments/{right.json()['id']}", json={"status": "planned"})
    assert back.status_code == 422
    listed = admin.get("/api/v1/dental/treatments", params={"patient_id": other["id"], "status": "completed"}).json()
    assert [item["id"] for item in listed["items"]] == [right.json()["id"]]


def test_the_ledger_derives_payment_status_and_balance(dental, admin):
    patient = new_patient(admin)
    crown = treatment(admin, patient, name="Crown", fee="800.00", status="completed").json()
    filling = treatment(admin, patient, fee="120.50", status="completed").json()
    treatment(admin, patient, name="Whitening", fee="300.00")  # planned: not charged
    with dental.client("receptionist") as desk:
        ledger = f"/api/v1/dental/patients/{patient['id']}/ledger"
        balance = f"/api/v1/dental/patients/{patient['id']}/balance"
        pay = {"kind": "payment", "method": "card"}
        assert desk.post(ledger, json={**pay, "amount": "50.00", "treatment_id": filling["id"]}).status_code == 201
        state = desk.get(balance).json()
        lines = {line["treatment_id"]: line for line in state["treatments"]}
        assert lines[filling["id"]]["payment_status"] == "partial" and lines[crown["id"]]["payment_status"] == "unpaid"
        assert state["charged"] == "920.50" and state["credited"] == "50.00" and state["balance"] == "870.50"
        desk.post(ledger, json={**pay, "amount": "70.50", "treatment_id": filling["id"]})
        adjusted = desk.post(
            ledger, json={"kind": "adjustment", "amount": "100.00", "treatment_id": crown["id"], "reason": "Loyalty"}
        )
        assert adjusted.status_code == 201
        refund = desk.post(
            ledger, json={"kind": "refund", "amount": "20.50", "treatment_id": filling["id"], "reason": "Overcharge"}
        )
        assert refund.status_code == 201 and refund.json()["amount"] == "-20.50"
        state = desk.get(balance).json()
        lines = {line["treatment_id"]: line for line in state["treatments"]}
        assert lines[filling["id"]]["credited"] == "100.00" and lines[filling["id"]]["payment_status"] == "partial"
        assert lines[crown["id"]]["payment_status"] == "partial"
        assert state["credited"] == "200.00" and state["balance"] == "720.50"
        for body, field in (
            ({**pay, "amount": "-5.00"}, "amount"),
            ({**pay, "amount": "0"}, "amount"),
            ({"kind": "payment", "amount": "5.00"}, "method"),
            ({"kind": "adjustment", "amount": "5.00"}, "reason"),
            ({"kind": "refund", "amount": "500.00", "reason": "too much"}, "amount"),
            ({**pay, "amount": "5.00", "entry_date": (date.today() + timedelta(days=3)).isoformat()}, "entry_date"),
        ):
            refused = desk.post(ledger, json=body)
            assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
        entries = desk.get(ledger).json()
        assert desk.get(ledger, params={"kind": "refund"}).json()["total"] == 1
        assert entries["total"] == 4 and {e["kind"] for e in entries["items"]} == {"payment", "adjustment", "refund"}
        assert {e["recorded_by"] for e in entries["items"]} == {str(dental.staff.user_ids["receptionist"])}
    with dental.client("dentist") as dentist:
        assert dentist.post(ledger, json={**pay, "amount": "1.00"}).status_code == 403  # billing:read only
        assert dentist.get(balance).status_code == 200


def test_practice_statistics(dental, admin):
    dentist = new_dentist(admin, first_name="Stat", last_name=f"Dentist{dental.backend}")
    monday = next_monday(3)
    patients = [new_patient(admin) for _ in range(3)]
    made = []
    for index, patient in enumerate(patients):
        answer = admin.post(
            "/api/v1/dental/appointments",
            json={
                "patient_id": patient["id"],
                "dentist_id": dentist["id"],
                "start_at": at(monday, 9 + index),
                "duration_minutes": 60,
            },
        )
        made.append(answer.json())
    for status in ("arrived", "in_progress", "completed"):
        admin.post(f"/api/v1/dental/appointments/{made[0]['id']}/status", json={"status": status})
    admin.post(f"/api/v1/dental/appointments/{made[1]['id']}/status", json={"status": "no_show"})
    code = "D0120"
    treatment(admin, patients[0], name="Periodic exam", procedure_code=code, fee="55.00", status="completed",
              performed_on=monday.isoformat())  # fmt: skip
    today = {"from": str(date.today() - timedelta(days=1)), "to": str(date.today() + timedelta(days=1))}

    def collected() -> Decimal:
        months = admin.get("/api/v1/dental/stats", params=today).json()["months"]
        return sum((Decimal(month["collections"]) for month in months), Decimal(0))

    before = collected()
    admin.post(
        f"/api/v1/dental/patients/{patients[0]['id']}/ledger",
        json={"kind": "payment", "method": "cash", "amount": "55.00"},
    )
    assert collected() - before == Decimal("55.00")
    window = {"from": monday.isoformat(), "to": (monday + timedelta(days=6)).isoformat()}
    stats = admin.get("/api/v1/dental/stats", params=window).json()
    assert stats["appointments_by_status"] == {"completed": 1, "no_show": 1, "booked": 1}
    assert stats["no_show_rate"] == "0.5000"
    assert stats["top_procedures"][0] == {
        "procedure_code": code,
        "name": "Periodic exam",
        "count": 1,
        "production": "55.00",
    }
    assert stats["months"] == [{"month": f"{monday:%Y-%m}", "production": "55.00", "collections": "0.00"}]
    hours = {line["dentist_id"]: line["hours"] for line in stats["chair_hours"]}
    assert hours[dentist["id"]] == "2.00"  # completed and booked count; the no-show does not
    assert stats["active_patients"] >= 3
    default = admin.get("/api/v1/dental/stats").json()  # the 365 days up to today
    assert default["new_patients"] >= 3 and default["date_from"] == str(
        date.fromisoformat(default["date_to"]) - timedelta(days=364)
    )
    with dental.client("receptionist") as desk:
        assert desk.get("/api/v1/dental/stats").status_code == 403
    bad = admin.get("/api/v1/dental/stats", params={"from": "2026-02-01", "to": "2026-01-01"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_range"
