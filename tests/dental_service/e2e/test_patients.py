"""Patients over real HTTP with auth_service tokens, on PostgreSQL and SQLite: E.164 phones, dates of birth,
search, PUT/PATCH, deactivation, and the clinical fields behind dental:clinical:* with their access log."""

from __future__ import annotations

from datetime import date, timedelta

from tests.dental_service.conftest import new_patient


def test_phone_numbers_are_stored_in_e164_and_bad_ones_refused(admin):
    patient = new_patient(admin, phone="+33 6 12 34 56 78", emergency_contact_phone="+1 (415) 555-2671")
    assert patient["phone"] == "+33612345678"
    assert patient["emergency_contact_phone"] == "+14155552671"
    for phone in ("0612345678", "+33 1", "call me"):
        answer = admin.post(
            "/api/v1/dental/patients",
            json={"first_name": "A", "last_name": "B", "date_of_birth": "1990-01-01", "phone": phone},
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == "invalid_patient_data" and answer.json()["field"] == "phone"


def test_the_date_of_birth_is_a_date_and_never_in_the_future(admin):
    body = {"first_name": "A", "last_name": "B"}
    future = (date.today() + timedelta(days=2)).isoformat()
    answer = admin.post("/api/v1/dental/patients", json={**body, "date_of_birth": future})
    assert answer.status_code == 422 and answer.json()["field"] == "date_of_birth"
    answer = admin.post("/api/v1/dental/patients", json={**body, "date_of_birth": "1990-01-01T10:00:00Z"})
    assert answer.status_code == 400 and answer.json()["code"] == "validation_failed"
    assert new_patient(admin, date_of_birth="1984-02-29")["date_of_birth"] == "1984-02-29"


def test_search_by_name_email_or_phone_and_active_only(admin):
    marker = new_patient(admin, first_name="Zoë", email="Zoe.Search@Example.com", phone="+44 20 7946 0958")
    assert marker["email"] == "zoe.search@example.com"
    for q in ("zoë", "ZOE.SEARCH@", "7946 0958", marker["last_name"][-6:]):
        found = admin.get("/api/v1/dental/patients", params={"q": q}).json()
        assert marker["id"] in [item["id"] for item in found["items"]], q
        assert "allergies" not in found["items"][0]  # lists never carry clinical fields
    deactivated = admin.delete(f"/api/v1/dental/patients/{marker['id']}")
    assert deactivated.status_code == 200 and deactivated.json()["active"] is False
    active = admin.get("/api/v1/dental/patients", params={"q": "zoe.search", "active_only": True}).json()
    assert active["total"] == 0
    assert admin.get(f"/api/v1/dental/patients/{marker['id']}").json()["active"] is False  # kept, not deleted
    assert admin.patch(f"/api/v1/dental/patients/{marker['id']}", json={"active": True}).json()["active"] is True


def test_put_replaces_and_patch_changes_only_what_is_sent(admin):
    patient = new_patient(admin, email="before@example.com", address="1 rue de la Paix")
    url = f"/api/v1/dental/patients/{patient['id']}"
    patched = admin.patch(url, json={"insurance_provider": "MGEN", "address": None}).json()
    assert patched["insurance_provider"] == "MGEN" and patched["address"] is None
    assert patched["email"] == "before@example.com"
    put = admin.put(url, json={"first_name": "Ana", "last_name": "Maria", "date_of_birth": "1991-05-05"}).json()
    assert put["email"] is None and put["insurance_provider"] is None and put["last_name"] == "Maria"
    assert admin.get("/api/v1/dental/patients/00000000-0000-0000-0000-000000000000").json()["code"] == (
        "patient_not_found"
    )


def test_clinical_fields_need_clinical_permissions_and_every_access_is_logged(dental):
    with dental.client("dentist") as dentist, dental.client("receptionist") as desk:
        refused = desk.post(
            "/api/v1/dental/patients",
            json={"first_name": "A", "last_name": "B", "date_of_birth": "1990-01-01", "allergies": "penicillin"},
        )
        assert refused.status_code == 403 and refused.json()["code"] == "clinical_access_denied"
        patient = new_patient(dentist, allergies="Penicillin", medical_notes="Asthma")
        assert patient["allergies"] == "Penicillin"
        url = f"/api/v1/dental/patients/{patient['id']}"
        seen_by_desk = desk.get(url).json()
        assert "allergies" not in seen_by_desk and "medical_notes" not in seen_by_desk
        assert desk.patch(url, json={"phone": "+33 6 12 34 56 78"}).status_code == 200  # no clinical change
        assert (
            desk.put(url, json={**{k: patient[k] for k in ("first_name", "last_name", "date_of_birth")}}).status_code
            == 200
        )
        changed = desk.patch(url, json={"allergies": None})
        assert changed.status_code == 403
        read = dentist.get(url).json()
        assert read["allergies"] == "Penicillin" and read["medical_notes"] == "Asthma"
        assert (
            dentist.patch(url, json={"medical_notes": "Asthma; inhaler"}).json()["medical_notes"] == "Asthma; inhaler"
        )
        log = dentist.get("/api/v1/dental/access-log", params={"patient_id": patient["id"]}).json()
        actions = [(entry["action"], entry["fields"]) for entry in reversed(log["items"])]
        assert actions == [
            ("write", ["allergies", "medical_notes"]),
            ("read", ["allergies", "medical_notes"]),
            ("write", ["medical_notes"]),
        ]
        assert {entry["actor"] for entry in log["items"]} == {str(dental.staff.user_ids["dentist"])}
        assert desk.get("/api/v1/dental/access-log").status_code == 403
