"""LoginService with fakes: dummy verification, failure logging and counting, rehash, refusal of disabled accounts."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import structlog

from auth_service.domain.accounts import AccountStatus, ClientInfo, Registration
from auth_service.domain.errors import AccountDisabled, EmailTaken, InvalidCredentials, WeakPassword
from auth_service.domain.limits import RateRule
from auth_service.services.login import LoginService
from qhitz_shared.errors import RateLimitedError
from qhitz_shared.password_policy import PasswordPolicy
from tests.auth_service.unit.fakes import (
    FakeDirectory,
    FakeHasher,
    FakeLimiter,
    FakeSessions,
    make_challenges,
    make_issuer,
)

CLIENT = ClientInfo(ip_address="203.0.113.4", user_agent="pytest")
PASSWORD = "Velvet-Orbit-Canyon-42"


@pytest.fixture
def world():
    directory = FakeDirectory()
    sessions = FakeSessions(directory)
    hasher, limiter, issuer = FakeHasher(), FakeLimiter(), make_issuer()
    service = LoginService(directory, sessions, hasher, limiter, issuer, PasswordPolicy(), make_challenges())
    account = directory.add("ada@example.com", "ada", f"argon2:{PASSWORD}")
    return service, directory, sessions, hasher, limiter, issuer, account


@pytest.mark.parametrize("login", ["ada@example.com", "ADA@example.com ", "ada", "Ada"])
async def test_login_by_email_or_username(world, login) -> None:
    service, _, sessions, _, _, issuer, account = world
    pair = (await service.login(login, PASSWORD, CLIENT)).tokens
    claims = await issuer.read_access(pair.access_token)
    assert claims.sub == str(account.id)
    assert (claims.roles, claims.perms, claims.ver) == (["user"], ["media:read"], 0)
    session = sessions.rows[next(iter(sessions.rows))]
    assert claims.sid == str(session.id)
    assert (session.ip_address, session.user_agent) == ("203.0.113.4", "pytest")
    refresh = await issuer.read_refresh(pair.refresh_token)
    assert (refresh.session_id, refresh.family_id, refresh.generation) == (session.id, session.family_id, 0)


async def test_unknown_account_costs_a_dummy_verification_and_is_logged_without_the_password(world) -> None:
    service, _, _, hasher, limiter, _, _ = world
    with structlog.testing.capture_logs() as logs, pytest.raises(InvalidCredentials):
        await service.login("nobody@example.com", "secret-attempt-1", CLIENT)
    assert (hasher.dummy_verifications, hasher.verifications) == (1, 0)
    failed = [event for event in logs if event["event"] == "login_failed"]
    assert failed == [
        {
            "event": "login_failed",
            "log_level": "warning",
            "reason": "unknown_account",
            "login": "nobody@example.com",
            "user_id": None,
            "ip": "203.0.113.4",
            "user_agent": "pytest",
        }
    ]
    assert "secret-attempt-1" not in repr(logs)
    assert (RateRule.LOGIN_ACCOUNT, "nobody@example.com") in limiter.hits


async def test_wrong_password_is_counted_per_account_and_ip(world) -> None:
    service, _, sessions, hasher, limiter, _, account = world
    with structlog.testing.capture_logs() as logs, pytest.raises(InvalidCredentials):
        await service.login("ada", "not-the-password", CLIENT)
    assert hasher.verifications == 1
    assert limiter.hits == [
        (RateRule.LOGIN_IP, "203.0.113.4"),
        (RateRule.LOGIN_ACCOUNT_IP, "ada 203.0.113.4"),
        (RateRule.LOGIN_ACCOUNT_IP, f"id:{account.id} 203.0.113.4"),
        (RateRule.LOGIN_ACCOUNT, "ada"),
        (RateRule.LOGIN_ACCOUNT, f"id:{account.id}"),
    ]
    assert logs[0]["reason"] == "wrong_password"
    assert logs[0]["user_id"] == str(account.id)
    assert "not-the-password" not in repr(logs)
    assert sessions.rows == {}  # the session opened alongside the check was discarded
    assert len(sessions.discarded) == 1
    assert sessions.logins == []  # and never counted as a login


async def test_a_login_is_recorded_only_once_confirmed(world) -> None:
    service, _, sessions, _, _, _, _ = world
    result = await service.login("ada", PASSWORD, CLIENT)
    assert sessions.logins == []
    await service.record_login(result.session_id)
    assert sessions.logins == [result.session_id]


async def test_every_attempt_is_counted_before_the_password_is_checked(world) -> None:
    service, _, _, hasher, limiter, _, account = world
    await service.login("ada", PASSWORD, CLIENT)
    assert (RateRule.LOGIN_ACCOUNT, f"id:{account.id}") in limiter.hits

    class Budget(type(limiter)):
        """Three attempts per account id, counted atomically like the Redis limiter."""

        async def hit(self, rule, key):
            await super().hit(rule, key)
            if key.startswith("id:") and sum(k == key for _, k in self.hits) > 3:
                raise RateLimitedError(retry_after=60)

    budget = Budget()
    service._limiter = budget
    hasher.verifications = 0
    outcomes = await asyncio.gather(
        *(service.login(login, "wrong", CLIENT) for login in ["ada", account.email] * 5), return_exceptions=True
    )
    assert sum(isinstance(o, InvalidCredentials) for o in outcomes) == 3  # email and username share the budget
    assert sum(isinstance(o, RateLimitedError) for o in outcomes) == 7
    assert hasher.verifications == 3


async def test_guesses_refused_per_account_and_address_never_spend_the_accounts_ceiling(world) -> None:
    """Five wrong passwords from anywhere locked the owner out: the guesser's address is stopped first, and its
    refused attempts do not count against the account, so the owner elsewhere still logs in."""
    service, _, _, _, limiter, _, _ = world
    limiter.blocked.add(RateRule.LOGIN_ACCOUNT_IP)
    for _ in range(10):
        with pytest.raises(RateLimitedError):
            await service.login("ada", "a-wrong-guess", CLIENT)
    assert not [hit for hit in limiter.hits if hit[0] is RateRule.LOGIN_ACCOUNT]
    limiter.blocked.clear()
    assert (await service.login("ada", PASSWORD, ClientInfo(ip_address="198.51.100.9", user_agent="owner"))).tokens


@pytest.mark.parametrize("blocked", [RateRule.LOGIN_IP, RateRule.LOGIN_ACCOUNT_IP, RateRule.LOGIN_ACCOUNT])
async def test_rate_limited_logins_never_reach_the_hasher(world, blocked) -> None:
    service, _, _, hasher, limiter, _, _ = world
    limiter.blocked.add(blocked)
    with pytest.raises(RateLimitedError) as caught:
        await service.login("ada", PASSWORD, CLIENT)
    assert caught.value.retry_after == 7
    assert hasher.verifications == hasher.dummy_verifications == 0


@pytest.mark.parametrize("status", [AccountStatus.SUSPENDED, AccountStatus.DEACTIVATED])
async def test_disabled_accounts_are_refused_only_after_the_right_password(world, status) -> None:
    service, directory, sessions, _, _, _, _ = world
    directory.add("eve@example.com", "eve", f"argon2:{PASSWORD}", status=status)
    with pytest.raises(InvalidCredentials):  # a guesser learns nothing about the status
        await service.login("eve", "wrong-guess-123", CLIENT)
    with pytest.raises(AccountDisabled):
        await service.login("eve", PASSWORD, CLIENT)
    assert sessions.rows == {}


async def test_outdated_hash_is_rehashed_on_success(world) -> None:
    service, directory, _, _, _, _, _ = world
    old = directory.add("bob@example.com", "bob", f"old:{PASSWORD}")
    await service.login("bob", PASSWORD, CLIENT)
    assert directory.password_updates == [(old.id, False)]  # no token revocation for a rehash
    assert directory.accounts[old.id].password_hash == f"argon2:{PASSWORD}"


async def test_register_applies_the_policy_then_logs_in(world) -> None:
    service, directory, sessions, _, limiter, issuer, _ = world
    with pytest.raises(WeakPassword):
        await service.register(Registration("new@example.com", "newbie", "password1"), CLIENT)
    assert len(directory.accounts) == 1
    pair = await service.register(Registration("new@example.com", "newbie", PASSWORD), CLIENT)
    claims = await issuer.read_access(pair.access_token)
    created = directory.accounts[uuid.UUID(claims.sub)]
    assert created.password_hash == f"argon2:{PASSWORD}"
    assert len(sessions.rows) == 1
    assert (RateRule.REGISTER_ACCOUNT, "new@example.com") in limiter.hits
    with pytest.raises(EmailTaken):
        await service.register(Registration("new@example.com", "other", PASSWORD), CLIENT)
