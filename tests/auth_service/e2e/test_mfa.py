"""TOTP two-factor authentication end to end over real HTTP (auth_service, main_service, PostgreSQL, Redis):
setup and confirm, the login's second step, a code accepted once, recovery codes used once even concurrently,
turning it off, and an admin's reset."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import jwt
import pyotp

from tests.support.platform import bearer, register

PASSWORD = "Velvet-Orbit-Canyon-42"


def code_at(secret: str, offset: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(datetime.now(UTC)) + offset)


async def login(auth, email: str) -> dict:
    answer = await auth.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return answer.json()


async def enable_totp(auth, access_token: str) -> tuple[str, list[str]]:
    setup = await auth.post("/api/v1/auth/mfa/totp/setup", headers=bearer(access_token))
    assert setup.status_code == 200, setup.text
    secret = setup.json()["secret"]
    assert setup.json()["otpauth_uri"].startswith("otpauth://totp/Qhitz:")
    assert f"secret={secret}" in setup.json()["otpauth_uri"]
    assert setup.json()["qr_svg"].startswith("<svg")
    wrong = await auth.post("/api/v1/auth/mfa/totp/confirm", json={"code": "000000"}, headers=bearer(access_token))
    if code_at(secret) != "000000":
        assert (wrong.status_code, wrong.json()["code"]) == (422, "invalid_mfa_code")
    confirmed = await auth.post(
        "/api/v1/auth/mfa/totp/confirm", json={"code": code_at(secret)}, headers=bearer(access_token)
    )
    assert confirmed.status_code == 200, confirmed.text
    return secret, confirmed.json()["recovery_codes"]


async def test_totp_login_accepts_each_code_once_and_each_recovery_code_once(platform, auth, main) -> None:
    account = await register(auth)
    secret, recovery = await enable_totp(auth, account["access_token"])
    assert len(recovery) == 10 and len(set(recovery)) == 10
    again = await auth.post("/api/v1/auth/mfa/totp/setup", headers=bearer(account["access_token"]))
    assert (again.status_code, again.json()["code"]) == (409, "mfa_state_conflict")

    # the password alone gives a challenge, not tokens; the challenge is no access token anywhere
    first = await login(auth, account["email"])
    assert first["mfa_required"] is True and "access_token" not in first
    assert (await main.get("/api/v1/users/me", headers=bearer(first["challenge"]))).status_code == 401
    form = await auth.post("/api/v1/auth/token", data={"username": account["email"], "password": PASSWORD})
    assert (form.status_code, form.json()["code"]) == (403, "mfa_required")

    # the confirmation's code is spent: the same time step is refused (replay), a later one is accepted once
    replay = await auth.post("/api/v1/auth/mfa/verify", json={"challenge": first["challenge"], "code": code_at(secret)})
    assert (replay.status_code, replay.json()["code"]) == (422, "invalid_mfa_code")
    later = code_at(secret, 1)  # the next 30 s step: within the accepted drift
    done = await auth.post("/api/v1/auth/mfa/verify", json={"challenge": first["challenge"], "code": later})
    assert done.status_code == 200, done.text
    claims = jwt.decode(done.json()["access_token"], options={"verify_signature": False})
    assert claims["sub"] == jwt.decode(account["access_token"], options={"verify_signature": False})["sub"]
    me = await main.get("/api/v1/users/me", headers=bearer(done.json()["access_token"]))
    assert me.json()["mfa_enabled"] is True
    second = await login(auth, account["email"])
    reused = await auth.post("/api/v1/auth/mfa/verify", json={"challenge": second["challenge"], "code": later})
    assert (reused.status_code, reused.json()["code"]) == (422, "invalid_mfa_code")

    # a recovery code works once, even when four logins race with it
    challenges = [second["challenge"], *[(await login(auth, account["email"]))["challenge"] for _ in range(3)]]
    racing = await asyncio.gather(
        *(
            auth.post("/api/v1/auth/mfa/verify", json={"challenge": challenge, "recovery_code": recovery[0]})
            for challenge in challenges
        )
    )
    assert sorted(r.status_code for r in racing) == [200, 422, 422, 422]
    third = await login(auth, account["email"])
    spent = {"challenge": third["challenge"], "recovery_code": recovery[0].upper().replace("-", " ")}
    assert (await auth.post("/api/v1/auth/mfa/verify", json=spent)).status_code == 422
    other = await auth.post(
        "/api/v1/auth/mfa/verify", json={"challenge": third["challenge"], "recovery_code": recovery[1]}
    )
    assert other.status_code == 200
    both = await auth.post(
        "/api/v1/auth/mfa/verify", json={"challenge": third["challenge"], "code": later, "recovery_code": recovery[2]}
    )
    assert (both.status_code, both.json()["code"]) == (422, "invalid_input")


async def test_totp_is_turned_off_with_the_password_or_by_an_admin(platform, auth, main) -> None:
    account = await register(auth)
    token = account["access_token"]
    await enable_totp(auth, token)
    wrong = await auth.request(
        "DELETE", "/api/v1/auth/mfa/totp", json={"password": "Not-The-Password-1"}, headers=bearer(token)
    )
    assert (wrong.status_code, wrong.json()["code"]) == (422, "wrong_current_password")
    off = await auth.request("DELETE", "/api/v1/auth/mfa/totp", json={"password": PASSWORD}, headers=bearer(token))
    assert off.status_code == 204, off.text
    assert "access_token" in await login(auth, account["email"])

    await enable_totp(auth, token)
    assert (await login(auth, account["email"]))["mfa_required"] is True
    admin_email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    await platform.make_admin(admin_email, "Admin-Kestrel-Harbor-9")
    admin = (
        await auth.post("/api/v1/auth/login", json={"email": admin_email, "password": "Admin-Kestrel-Harbor-9"})
    ).json()
    user_id = jwt.decode(token, options={"verify_signature": False})["sub"]
    listed = await main.get(f"/api/v1/users/{user_id}", headers=bearer(admin["access_token"]))
    assert listed.json()["mfa_enabled"] is True  # admins see who has two-factor authentication
    refused = await main.delete(f"/api/v1/users/{user_id}/mfa", headers=bearer(token))
    assert refused.status_code == 403  # users:write only
    reset = await main.delete(f"/api/v1/users/{user_id}/mfa", headers=bearer(admin["access_token"]))
    assert reset.status_code == 204, reset.text
    assert "access_token" in await login(auth, account["email"])
    assert (await main.delete(f"/api/v1/users/{user_id}/mfa", headers=bearer(admin["access_token"]))).status_code == 409


async def test_a_challenge_completes_one_login_and_spends_nothing_when_reused(platform, auth, main) -> None:
    """A stolen or replayed challenge (with any valid factor) opens no second session; the factor offered with a
    used challenge stays unspent."""
    account = await register(auth)
    secret, recovery = await enable_totp(auth, account["access_token"])
    challenge = (await login(auth, account["email"]))["challenge"]
    done = await auth.post("/api/v1/auth/mfa/verify", json={"challenge": challenge, "code": code_at(secret, 1)})
    assert done.status_code == 200, done.text

    again = await auth.post("/api/v1/auth/mfa/verify", json={"challenge": challenge, "recovery_code": recovery[0]})
    assert (again.status_code, again.json()["code"]) == (401, "invalid_mfa_challenge")
    fresh = (await login(auth, account["email"]))["challenge"]
    unspent = await auth.post("/api/v1/auth/mfa/verify", json={"challenge": fresh, "recovery_code": recovery[0]})
    assert unspent.status_code == 200, unspent.text

    # the same challenge raced with four different recovery codes: one login; the three others are not spent
    racing_challenge = (await login(auth, account["email"]))["challenge"]
    racing = await asyncio.gather(
        *(
            auth.post("/api/v1/auth/mfa/verify", json={"challenge": racing_challenge, "recovery_code": code})
            for code in recovery[1:5]
        )
    )
    assert sorted(r.status_code for r in racing) == [200, 401, 401, 401]
    losers = [code for code, answer in zip(recovery[1:5], racing, strict=True) if answer.status_code == 401]
    for code in losers:
        fresh = (await login(auth, account["email"]))["challenge"]
        answer = await auth.post("/api/v1/auth/mfa/verify", json={"challenge": fresh, "recovery_code": code})
        assert answer.status_code == 200, answer.text
