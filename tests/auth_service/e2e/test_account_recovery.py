"""Email verification and password reset end to end: real HTTP, real services on PostgreSQL and Redis, and a real
SMTP server whose mail the tests read and whose links they follow."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.mailbox import AMQP_URL, Mailbox, body, delete_mail_topology, link_in, smtp_server, token_of
from tests.support.platform import Platform, bearer, register, run_platform

APP_URL = "https://app.example.test"
PASSWORD = "Velvet-Orbit-Canyon-42"
NEW_PASSWORD = "Copper-Lagoon-Whistle-87"
# require-verified-email applies to addresses starting with "strict" (GrowthBook targeting on the email)
FEATURES = {
    "features": {
        "require-verified-email": {
            "defaultValue": False,
            "rules": [{"condition": {"email": {"$regex": "^strict"}}, "force": True}],
        }
    }
}


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as server:
        yield server


@pytest.fixture(scope="module")
def mail_platform(mail_db_url: str, mailbox: Mailbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    folder = tmp_path_factory.mktemp("recovery")
    features = Path(folder) / "features.json"
    features.write_text(json.dumps(FEATURES))
    main_env = {
        **mailbox.env(),
        "MAIL_PUBLIC_BASE_URL": APP_URL,
        "MAIL_RELAY_POLL_SECONDS": "0.05",
        "GROWTHBOOK_FEATURES_FILE": str(features),
    }
    with run_platform(mail_db_url, folder, main_env=main_env) as running:
        yield running


@pytest.fixture
async def auth(mail_platform: Platform) -> Iterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=mail_platform.auth_url, timeout=10) as client:
        yield client


@pytest.fixture
async def main(mail_platform: Platform) -> Iterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=mail_platform.main_url, timeout=10) as client:
        yield client


def new_address(prefix: str = "p") -> tuple[str, str]:
    suffix = uuid.uuid4().hex[:10]
    return f"{prefix}{suffix}@example.com", f"{prefix}{suffix}"


async def login(auth: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await auth.post("/api/v1/auth/login", json={"email": email, "password": password})


async def test_verification_link_of_the_registration_mail_lets_a_strict_account_log_in(auth, main, mailbox) -> None:
    email, username = new_address("strict")
    created = await auth.post(
        "/api/v1/auth/register", json={"email": email, "username": username, "password": PASSWORD}
    )
    assert (created.status_code, created.json()["code"]) == (403, "email_not_verified")  # created, but no tokens
    assert (await login(auth, email)).json()["code"] == "email_not_verified"
    wrong = await login(auth, email, "Not-The-Password-11")
    assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_credentials")  # checked before the flag

    [mail] = mailbox.wait_for(email)
    assert mail["Subject"] == "Verify your email address"
    link = link_in(mail)
    assert link.startswith(f"{APP_URL}/verify-email?token=")
    assert link.replace("&", "&amp;") in body(mail, "html")
    token = token_of(link)

    verified = await auth.post("/api/v1/auth/verify-email", json={"token": token})
    assert verified.status_code == 200, verified.text
    assert verified.json() == {"email": email, "email_verified": True}
    again = await auth.post("/api/v1/auth/verify-email", json={"token": token})
    assert (again.status_code, again.json()["code"]) == (422, "verification_token_invalid")  # single use

    pair = await login(auth, email)
    assert pair.status_code == 200, pair.text
    me = (await main.get("/api/v1/users/me", headers=bearer(pair.json()["access_token"]))).json()
    assert me["email_verified_at"] is not None


async def test_resend_answers_alike_for_every_address_and_mails_only_unverified_accounts(auth, mailbox) -> None:
    email, username = new_address("strict")
    await auth.post("/api/v1/auth/register", json={"email": email, "username": username, "password": PASSWORD})
    mailbox.wait_for(email)
    unknown, _ = new_address("nobody")
    answers = [
        await auth.post("/api/v1/auth/resend-verification", json={"email": address}) for address in (email, unknown)
    ]
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].json() == answers[1].json()
    second, first = mailbox.wait_for(email, 2)[1], mailbox.to(email)[0]
    assert token_of(link_in(second)) != token_of(link_in(first))
    assert (await auth.post("/api/v1/auth/verify-email", json={"token": token_of(link_in(second))})).status_code == 200
    assert mailbox.to(unknown) == []


async def test_a_changed_email_is_unverified_until_its_own_link_is_followed(auth, main, mailbox) -> None:
    account = await register(auth)
    [first] = mailbox.wait_for(account["email"])
    assert (await auth.post("/api/v1/auth/verify-email", json={"token": token_of(link_in(first))})).status_code == 200
    new_email, _ = new_address("moved")
    changed = await main.patch("/api/v1/users/me", json={"email": new_email}, headers=bearer(account["access_token"]))
    assert changed.status_code == 200, changed.text
    assert changed.json()["email_verified_at"] is None
    [mail] = mailbox.wait_for(new_email)
    # the first link was spent; a link for the old address would not verify the new one either
    assert (await auth.post("/api/v1/auth/verify-email", json={"token": token_of(link_in(mail))})).status_code == 200
    me = await main.get("/api/v1/users/me", headers=bearer(account["access_token"]))
    assert me.json()["email_verified_at"] is not None


async def test_password_reset_by_mail_sets_the_password_and_ends_every_session(auth, main, mailbox) -> None:
    account = await register(auth)
    unknown, _ = new_address("nobody")
    known = await auth.post("/api/v1/auth/password-reset", json={"email": account["email"].upper()})
    other = await auth.post("/api/v1/auth/password-reset", json={"email": unknown})
    assert (known.status_code, known.headers["content-type"], known.content) == (
        other.status_code,
        other.headers["content-type"],
        other.content,
    )
    assert known.status_code == 202
    mails = mailbox.wait_for(account["email"], 2)  # the verification, then the reset
    reset = next(m for m in mails if m["Subject"] == "Reset your Qhitz password")
    link = link_in(reset)
    assert link.startswith(f"{APP_URL}/reset-password?token=")
    token = token_of(link)

    weak = await auth.post("/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": "short"})
    assert (weak.status_code, weak.json()["code"]) == (422, "weak_password")  # the token is not spent by a refusal
    done = await auth.post("/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD})
    assert done.status_code == 204, done.text
    again = await auth.post("/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD})
    assert (again.status_code, again.json()["code"]) == (422, "reset_token_invalid")

    # every session ended and token_version bumped: the old access and refresh tokens are refused at once
    old_access = await main.get("/api/v1/users/me", headers=bearer(account["access_token"]))
    assert old_access.status_code == 401
    old_refresh = await auth.post("/api/v1/auth/refresh", json={"refresh_token": account["refresh_token"]})
    assert old_refresh.status_code == 401
    assert (await login(auth, account["email"])).status_code == 401
    assert (await login(auth, account["email"], NEW_PASSWORD)).status_code == 200
    assert mailbox.to(unknown) == []


async def test_with_a_broker_the_mail_travels_through_rabbitmq(mail_db_url, mailbox, tmp_path) -> None:
    """AMQP_URL set: the outbox relay publishes to <prefix>.mail and main_service's consumer sends it."""
    prefix = f"qhitz-test-{uuid.uuid4().hex[:8]}"
    main_env = {
        **mailbox.env(),
        "AMQP_URL": AMQP_URL,
        "MAIL_AMQP_PREFIX": prefix,
        "MAIL_RELAY_POLL_SECONDS": "0.05",
        "MAIL_PUBLIC_BASE_URL": APP_URL,
    }
    try:
        with run_platform(mail_db_url, tmp_path, main_env=main_env) as running:
            async with httpx.AsyncClient(base_url=running.auth_url, timeout=10) as auth:
                account = await register(auth)
                [mail] = await asyncio.to_thread(mailbox.wait_for, account["email"])
                verified = await auth.post("/api/v1/auth/verify-email", json={"token": token_of(link_in(mail))})
                assert verified.status_code == 200, verified.text
    finally:
        await delete_mail_topology(prefix)
