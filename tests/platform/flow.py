"""One user's story through the public entrance (the gateway, or make dev's ports behind it).

register → login → profile → flags → upload → ranged download → an admin grants a role → the old token is
refused and the flags answer changes → logout. The media-processing leg (sizes appear) is its own test in
test_platform_flow.py, on until the worker exists (issue 5).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx

from tests.medias_service.support import multipart_body, multipart_headers, png_bytes
from tests.support.servers import ROOT

PASSWORD = "Velvet-Orbit-Canyon-42"


@dataclass
class Admin:
    email: str
    password: str


def create_admin(env: dict[str, str]) -> Admin:
    """The real CLI, as an operator runs it (`make create-admin`)."""
    admin = Admin(f"admin-{uuid.uuid4().hex[:8]}@example.com", f"admin-{uuid.uuid4().hex}")
    subprocess.run(
        [sys.executable, "-m", "main_service.main.cli", "create-admin", "--email", admin.email],
        cwd=ROOT,
        env={**env, "ADMIN_PASSWORD": admin.password},
        check=True,
        capture_output=True,
    )
    return admin


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(http: httpx.Client, email: str, password: str) -> dict:
    response = http.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def dental_leg(http: httpx.Client, headers: dict[str, str]) -> None:
    """A dentist, a patient and an appointment on the next Monday at 10:00 (practice time), then its calendar."""
    suffix = uuid.uuid4().hex[:8]
    hours = {"monday": {"start": "09:00", "end": "17:00"}}
    dentist = http.post(
        "/api/v1/dental/dentists",
        json={"first_name": "Flow", "last_name": "Dentist", "license_number": f"FLOW-{suffix}", "working_hours": hours},
        headers=headers,
    )
    assert dentist.status_code == 201, dentist.text
    patient = http.post(
        "/api/v1/dental/patients",
        json={"first_name": "Flow", "last_name": "Patient", "date_of_birth": "1990-01-01", "phone": "+33612345678"},
        headers=headers,
    )
    assert patient.status_code == 201, patient.text
    today = date.today()
    monday = today + timedelta(days=7 - today.weekday())
    start = datetime.combine(monday, time(10), ZoneInfo("Europe/Paris")).isoformat()  # the default practice zone
    booking = {"patient_id": patient.json()["id"], "dentist_id": dentist.json()["id"], "start_at": start}
    booked = http.post("/api/v1/dental/appointments", json={**booking, "duration_minutes": 30}, headers=headers)
    assert booked.status_code == 201, booked.text
    again = http.post("/api/v1/dental/appointments", json={**booking, "duration_minutes": 30}, headers=headers)
    assert again.status_code == 409 and again.json()["code"] == "appointment_conflict"
    ics = http.get(f"/api/v1/dental/dentists/{dentist.json()['id']}/calendar.ics", headers=headers)
    assert ics.status_code == 200 and b"BEGIN:VCALENDAR" in ics.content


def user_flow(base_url: str, admin: Admin, *, upload_bytes: int = 12 * 1024 * 1024) -> dict[str, str]:
    """Runs the story; returns ids for further checks."""
    with httpx.Client(base_url=base_url, timeout=60) as http:
        suffix = uuid.uuid4().hex[:10]
        email = f"flow{suffix}@example.com"
        request_id = f"flow-{suffix}"
        registered = http.post(
            "/api/v1/auth/register",
            json={"email": email, "username": f"flow{suffix}", "password": PASSWORD},
            headers={"X-Request-ID": request_id},
        )
        assert registered.status_code == 201, registered.text
        assert registered.headers["x-request-id"] == request_id

        tokens = login(http, email, PASSWORD)
        me = http.get("/api/v1/users/me", headers=bearer(tokens["access_token"]))
        assert me.status_code == 200, me.text
        user_id = me.json()["id"]
        assert me.json()["roles"] == ["user"]
        features = http.get("/api/v1/features", headers=bearer(tokens["access_token"]))
        assert features.json()["media-max-upload-mb"] == 100

        # an upload larger than any non-media route accepts, streamed through to medias_service
        data = png_bytes(extra=upload_bytes)
        uploaded = http.post(
            "/api/v1/media",
            content=multipart_body(("flow.png", "image/png", data), [("title", "flow")]),
            headers=multipart_headers(tokens["access_token"]),
        )
        assert uploaded.status_code == 201, uploaded.text
        media = uploaded.json()
        assert media["sha256"] == hashlib.sha256(data).hexdigest()
        ranged = http.get(media["content_url"], headers={**bearer(tokens["access_token"]), "Range": "bytes=1000-65535"})
        assert ranged.status_code == 206, ranged.text
        assert ranged.headers["content-range"] == f"bytes 1000-65535/{len(data)}"
        assert ranged.content == data[1000:65536]

        # the studio: a project with the uploaded media as an asset, and an empty balance (no credits bought)
        user_headers = bearer(tokens["access_token"])
        project = http.post("/api/v1/projects", json={"name": "Flow film"}, headers=user_headers)
        assert project.status_code == 201, project.text
        asset = http.post(
            f"/api/v1/projects/{project.json()['id']}/assets",
            json={"media_id": media["id"], "kind": "image"},
            headers=user_headers,
        )
        assert asset.status_code == 201, asset.text
        balance = http.get("/api/v1/credits/balance", headers=user_headers)
        assert balance.status_code == 200 and balance.json()["available"] == 0, balance.text

        # the public keys are reachable; the internal API is not
        assert http.get("/.well-known/jwks.json").json()["keys"]
        assert http.get(f"/internal/v1/users/{user_id}", headers=bearer(tokens["access_token"])).status_code == 404

        # an admin makes the user an admin: the user's tokens are revoked and the flags answer changes
        boss = login(http, admin.email, admin.password)
        granted = http.put(f"/api/v1/users/{user_id}/roles/admin", headers=bearer(boss["access_token"]))
        assert granted.status_code in (200, 204), granted.text
        stale = http.get("/api/v1/features", headers=bearer(tokens["access_token"]))
        assert stale.status_code == 401, stale.text
        tokens = login(http, email, PASSWORD)
        features = http.get("/api/v1/features", headers=bearer(tokens["access_token"]))
        assert features.json()["media-max-upload-mb"] == 2048

        # the dental practice: a plain user may not see it; an admin books an appointment through the gateway
        dental_leg(http, bearer(tokens["access_token"]))

        # logout ends the session: its refresh token is refused
        assert http.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"])).status_code == 204
        refused = http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert refused.status_code == 401
        return {"user_id": user_id, "media_id": media["id"], "token": tokens["access_token"]}
