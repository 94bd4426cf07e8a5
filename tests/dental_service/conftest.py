"""dental_service fixtures: the platform (main and auth over real HTTP), staff accounts with roles, and
dental_service itself on PostgreSQL and on SQLite (``dental``: every test that takes it runs on both)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.dental_service.support import WEEK, Staff, dental_database, make_staff, serve_dental
from tests.support.platform import Platform, run_platform


@dataclass
class Dental:
    url: str
    db_url: str
    backend: str
    staff: Staff

    def client(self, role: str | None = "admin") -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=self.staff.headers(role), timeout=30)


@pytest.fixture(scope="session")
def dental_client_secret() -> str:
    return f"dental-secret-{uuid.uuid4().hex}"


@pytest.fixture(scope="session")
def platform(
    main_db_url: str, tmp_path_factory: pytest.TempPathFactory, dental_client_secret: str
) -> Iterator[Platform]:
    clients = {"AUTH_SERVICE_CLIENTS": f"dental_service:{dental_client_secret}"}
    with run_platform(main_db_url, tmp_path_factory.mktemp("dental-platform"), auth_env=clients) as running:
        yield running


@pytest.fixture(scope="session")
def staff(platform: Platform) -> Staff:
    return make_staff(platform)


@pytest.fixture(scope="session", params=["postgresql", "sqlite"])
def dental(
    request: pytest.FixtureRequest,
    platform: Platform,
    staff: Staff,
    dental_client_secret: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Dental]:
    backend = request.param
    folder = tmp_path_factory.mktemp(f"dental-{backend}")
    with dental_database(backend, folder) as db_url, serve_dental(platform, db_url, dental_client_secret) as url:
        yield Dental(url, db_url, backend, staff)


@pytest.fixture
def admin(dental: Dental) -> Iterator[httpx.Client]:
    with dental.client("admin") as http:
        yield http


def new_patient(http: httpx.Client, **fields: object) -> dict:
    suffix = uuid.uuid4().hex[:6]
    body = {"first_name": "Ana", "last_name": f"Lopez{suffix}", "date_of_birth": "1990-04-02", **fields}
    answer = http.post("/api/v1/dental/patients", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def new_dentist(http: httpx.Client, **fields: object) -> dict:
    body = {
        "first_name": "Marie",
        "last_name": "Curie",
        "license_number": f"LIC-{uuid.uuid4().hex[:10]}",
        "working_hours": WEEK,
        "appointment_types": [{"name": "Checkup", "duration_minutes": 30}, {"name": "Filling", "duration_minutes": 60}],
        **fields,
    }
    answer = http.post("/api/v1/dental/dentists", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()
