"""dental_service answers as its OpenAPI document says, anonymous, as a plain user, a receptionist and a dentist
(schemathesis with all its checks; any 5xx fails). Tokens come from auth_service's login; seeded rows give the
path ids real rows to name."""

from __future__ import annotations

import pytest

from tests.dental_service.conftest import new_dentist, new_patient
from tests.support.contract import Identity, run_contract


@pytest.mark.parametrize("dental", ["postgresql"], indirect=True)
def test_dental_service_honours_its_openapi_document(dental, admin):
    patient, dentist = new_patient(admin), new_dentist(admin)
    appointment = admin.post(
        "/api/v1/dental/appointments",
        json={"patient_id": patient["id"], "dentist_id": dentist["id"], "start_at": "2031-01-06T10:00:00+01:00",
              "duration_minutes": 30},
    ).json()  # fmt: skip
    treatment = admin.post(
        "/api/v1/dental/treatments",
        json={"patient_id": patient["id"], "name": "Exam", "performed_on": "2026-01-02", "fee": "10.00"},
    ).json()
    known = {
        "patient_id": [patient["id"]],
        "dentist_id": [dentist["id"]],
        "appointment_id": [appointment["id"]],
        "treatment_id": [treatment["id"]],
    }
    staff = dental.staff
    identities = [Identity("anonymous")] + [
        Identity(role, login=lambda role=role: staff.headers(role)) for role in ("user", "receptionist", "dentist")
    ]
    run = run_contract(dental.url, identities, known)
    print(f"dental_service: {run.calls} calls in {run.seconds:.1f}s")
    assert not run.server_errors, run.report()
    assert not run.failures, run.report()
