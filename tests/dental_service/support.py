"""A dental practice for tests: the real main_service and auth_service, staff accounts with the platform's roles
(tokens from auth_service's login), and dental_service under uvicorn on PostgreSQL or SQLite."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import msgspec

from dental_service.main.app import create_http_app
from dental_service.main.settings import DentalSettings
from tests.support import databases
from tests.support.platform import REDIS_URL, Platform, bearer
from tests.support.servers import serve_app

PASSWORD = "Velvet-Orbit-Canyon-42"
ZONE = ZoneInfo("Europe/Paris")
ROLES = ("admin", "receptionist", "dentist", "user")
WEEK = {day: {"start": "09:00", "end": "17:00"} for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}


@dataclass
class Staff:
    """One account per role (admin, receptionist, dentist, user): user ids and a login for fresh tokens."""

    auth_url: str
    emails: dict[str, str]
    user_ids: dict[str, uuid.UUID]
    _tokens: dict[str, str] = field(default_factory=dict)

    def token(self, role: str) -> str:
        if role not in self._tokens:
            answer = httpx.post(
                f"{self.auth_url}/api/v1/auth/login", json={"email": self.emails[role], "password": PASSWORD}
            )
            assert answer.status_code == 200, answer.text
            self._tokens[role] = answer.json()["access_token"]
        return self._tokens[role]

    def headers(self, role: str | None) -> dict[str, str]:
        return {} if role is None else bearer(self.token(role))


def make_staff(platform: Platform) -> Staff:
    suffix = uuid.uuid4().hex[:8]
    emails = {role: f"{role}-{suffix}@example.com" for role in ROLES}
    asyncio.run(platform.make_admin(emails["admin"], PASSWORD))
    staff = Staff(platform.auth_url, emails, {})
    with httpx.Client(timeout=10) as http:
        for role in ROLES[1:]:
            body = {"email": emails[role], "username": f"{role}{suffix}", "password": PASSWORD}
            answer = http.post(f"{platform.auth_url}/api/v1/auth/register", json=body)
            assert answer.status_code == 201, answer.text
        admin = staff.headers("admin")
        for role in ROLES:
            found = http.get(f"{platform.main_url}/api/v1/users", params={"q": emails[role]}, headers=admin).json()
            staff.user_ids[role] = uuid.UUID(found["items"][0]["id"])
        for role in ("receptionist", "dentist"):
            granted = http.put(f"{platform.main_url}/api/v1/users/{staff.user_ids[role]}/roles/{role}", headers=admin)
            assert granted.status_code == 200, granted.text
    return staff


@contextmanager
def dental_database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "postgresql":
        with databases.migrated("dental", "dental") as url:
            yield url
        return
    url = f"sqlite+aiosqlite:///{folder}/dental.db"
    databases.migrate("dental", url)
    yield url


@contextmanager
def serve_dental(platform: Platform, db_url: str, client_secret: str, **env: str) -> Iterator[str]:
    settings = DentalSettings.from_env(
        {
            **env,
            "DENTAL_DB_URL": db_url,
            "REVOCATION_MAIN_URL": platform.main_url,
            "REDIS_URL": REDIS_URL,
            "SERVICE_AUTH_URL": platform.auth_url,
            "SERVICE_CLIENT_ID": "dental_service",
            "SERVICE_CLIENT_SECRET": client_secret,
        }
    )
    with serve_app(create_http_app(msgspec.structs.replace(settings, jwt=platform.jwt))) as url:
        yield url


def next_monday(weeks_ahead: int = 1) -> date:
    today = datetime.now(ZONE).date()
    return today + timedelta(days=7 * weeks_ahead - today.weekday())


def at(day: date, hour: int, minute: int = 0) -> str:
    """An aware ISO date-time at a wall-clock time of the practice's zone."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).isoformat()
