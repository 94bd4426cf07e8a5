"""Every dental route for every identity: no token (401), a plain user (403), a receptionist and a dentist (their
role's permissions from main_service's catalogue, through tokens from auth_service's login). The table below is
checked against the app's routes, so a route added without a row fails here."""

from __future__ import annotations

import pytest

from dental_service.main.app import create_http_app
from tests.dental_service.conftest import new_dentist, new_patient

PREFIX = "/api/v1/dental"
ROUTES = [
    ("GET", "/patients", "patients:read"),
    ("POST", "/patients", "patients:write"),
    ("GET", "/patients/{patient}", "patients:read"),
    ("PUT", "/patients/{patient}", "patients:write"),
    ("PATCH", "/patients/{patient}", "patients:write"),
    ("DELETE", "/patients/{patient}", "patients:write"),
    ("GET", "/patients/{patient}/ledger", "billing:read"),
    ("POST", "/patients/{patient}/ledger", "billing:write"),
    ("GET", "/patients/{patient}/balance", "billing:read"),
    ("GET", "/access-log", "stats"),
    ("GET", "/dentists", "appointments:read"),
    ("POST", "/dentists", "appointments:write"),
    ("GET", "/dentists/{dentist}", "appointments:read"),
    ("PUT", "/dentists/{dentist}", "appointments:write"),
    ("GET", "/dentists/{dentist}/availability?date=2030-01-07", "appointments:read"),
    ("GET", "/dentists/{dentist}/calendar.ics", "appointments:read"),
    ("GET", "/schedule/me", "appointments:read"),
    ("GET", "/appointments", "appointments:read"),
    ("POST", "/appointments", "appointments:write"),
    ("GET", "/appointments/{appointment}", "appointments:read"),
    ("PATCH", "/appointments/{appointment}", "appointments:write"),
    ("POST", "/appointments/{appointment}/status", "appointments:write"),
    ("GET", "/treatments", "clinical:read"),
    ("POST", "/treatments", "clinical:write"),
    ("GET", "/treatments/{treatment}", "clinical:read"),
    ("PATCH", "/treatments/{treatment}", "clinical:write"),
    ("GET", "/stats", "stats"),
]
EVERYTHING = {permission for _, _, permission in ROUTES}
HOLDS = {
    "receptionist": {
        f"{area}:{access}" for area in ("patients", "appointments", "billing") for access in ("read", "write")
    },
    "dentist": EVERYTHING - {"billing:write"},
    "user": set(),
    None: set(),
}


PATH_IDS = {"{patient_id:uuid}": "{patient}", "{dentist_id:uuid}": "{dentist}"}
PATH_IDS |= {"{appointment_id:uuid}": "{appointment}", "{treatment_id:uuid}": "{treatment}"}


def _named(path: str) -> str:
    for served, listed in PATH_IDS.items():
        path = path.replace(served, listed)
    return path


def test_the_table_covers_every_route():
    app = create_http_app()
    served = {
        (method, _named(route.path))
        for route in app.routes
        if route.path.startswith(PREFIX)
        for method in getattr(route, "methods", ())
        if method not in ("HEAD", "OPTIONS")
    }
    assert served == {(method, PREFIX + path.split("?")[0]) for method, path, _ in ROUTES}


@pytest.mark.parametrize("role", ["receptionist", "dentist", "user", None], ids=str)
def test_every_route_answers_each_role_by_its_permissions(dental, admin, role):
    patient, dentist = new_patient(admin), new_dentist(admin)
    appointment = admin.post(
        f"{PREFIX}/appointments",
        json={"patient_id": patient["id"], "dentist_id": dentist["id"], "start_at": "2031-01-06T09:00:00+01:00",
              "duration_minutes": 30},
    ).json()  # fmt: skip
    treatment = admin.post(
        f"{PREFIX}/treatments",
        json={"patient_id": patient["id"], "name": "Exam", "performed_on": "2026-01-02", "fee": "10.00"},
    ).json()
    ids = {"patient": patient["id"], "dentist": dentist["id"], "appointment": appointment["id"]}
    ids["treatment"] = treatment["id"]
    wrong = []
    with dental.client(role) as http:
        for method, path, permission in ROUTES:
            url = PREFIX + path.format(**ids)
            answer = http.request(method, url, json={} if method in ("POST", "PUT", "PATCH") else None)
            if role is None:
                expected = "401"
            elif permission in HOLDS[role]:
                expected = "allowed"
            else:
                expected = "403"
            got = "401" if answer.status_code == 401 else "403" if answer.status_code == 403 else "allowed"
            if got != expected or answer.status_code >= 500:
                wrong.append(f"{method} {path} as {role}: {answer.status_code} {answer.text[:120]}")
    assert not wrong, "\n".join(wrong)
