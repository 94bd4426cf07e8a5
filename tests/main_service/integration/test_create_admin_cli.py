"""`make create-admin` (python -m main_service.main.cli create-admin) on a real database: what it says and refuses."""

from __future__ import annotations

import uuid

import pytest

from main_service.main.cli import main


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch, main_db_url: str) -> None:
    monkeypatch.setenv("MAIN_DB_URL", main_db_url)
    monkeypatch.setenv("ARGON2_MEMORY_KIB", "1024")
    monkeypatch.setenv("ARGON2_TIME_COST", "1")
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["create-admin", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_create_admin_refuses_a_weak_password_and_says_what_it_did(environ, capsys) -> None:
    email = f"boss-{uuid.uuid4().hex[:8]}@example.com"
    code, _, err = run(capsys, "--email", email, "--password", "password1")
    assert code == 2 and "too easy to guess" in err  # it was accepted: the policy now applies here too
    code, out, _ = run(capsys, "--email", email, "--password", "Quartz-Lantern-Meadow-77")
    assert code == 0 and out.startswith(f"created admin {email}")
    code, out, _ = run(capsys, "--email", email)
    assert code == 0 and "already is an admin; nothing changed" in out and "promoted" not in out
