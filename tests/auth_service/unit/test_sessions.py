"""SessionService, PasswordService, ServiceTokenService and the token issuer with fakes."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
import structlog

from auth_service.domain.accounts import ClientInfo
from auth_service.domain.errors import (
    InvalidClient,
    InvalidRefreshToken,
    RefreshTokenReused,
    SessionRevoked,
    UnsupportedGrantType,
    WeakPassword,
    WrongCurrentPassword,
)
from auth_service.domain.limits import RateRule
from auth_service.services.introspection import IntrospectionService
from auth_service.services.login import LoginService
from auth_service.services.passwords import PasswordService
from auth_service.services.service_clients import OwnServiceToken, ServiceTokenService
from auth_service.services.sessions import ActiveAccountCheck, SessionService
from qhitz_shared.errors import InvalidTokenError, TokenRevokedError
from qhitz_shared.password_policy import PasswordPolicy
from qhitz_shared.principal import Principal
from qhitz_shared.tokens import SigningKey, TokenSigner
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
    login = LoginService(directory, sessions, hasher, limiter, issuer, PasswordPolicy(), make_challenges())
    refresh = SessionService(directory, sessions, limiter, issuer)
    passwords = PasswordService(directory, sessions, hasher, limiter, issuer, PasswordPolicy())
    account = directory.add("ada@example.com", "ada", f"argon2:{PASSWORD}")
    return login, refresh, passwords, directory, sessions, limiter, issuer, account


async def principal_of(issuer, token: str) -> Principal:
    return Principal.from_claims(await issuer.read_access(token))


async def test_refresh_rotates_and_a_replay_is_reported(world) -> None:
    login, refresh, _, _, sessions, limiter, issuer, account = world
    first = (await login.login("ada", PASSWORD, CLIENT)).tokens
    second = await refresh.refresh(first.refresh_token, CLIENT)
    assert (await issuer.read_refresh(second.refresh_token)).generation == 1
    assert (RateRule.REFRESH_ACCOUNT, str(account.id)) in limiter.hits
    with structlog.testing.capture_logs() as logs, pytest.raises(RefreshTokenReused):
        await refresh.refresh(first.refresh_token, CLIENT)
    assert logs[0]["event"] == "refresh_token_reused"
    assert set(sessions.revoked.values()) == {"reuse_detected"}


async def test_refresh_accepts_only_refresh_tokens(world) -> None:
    login, refresh, *_ = world
    pair = (await login.login("ada", PASSWORD, CLIENT)).tokens
    with pytest.raises(InvalidRefreshToken):
        await refresh.refresh(pair.access_token, CLIENT)
    with pytest.raises(InvalidRefreshToken):
        await refresh.refresh(pair.refresh_token[:-6] + "AAAAAA", CLIENT)  # broken signature
    account = next(iter(world[3].accounts.values()))
    session = await world[4].start(account.id, CLIENT, ttl_seconds=60)
    with pytest.raises(InvalidRefreshToken):  # signed by a key this issuer does not hold
        await refresh.refresh(make_issuer().pair(account, session).refresh_token, CLIENT)


async def test_logout_all_bumps_the_version_and_ends_every_session(world) -> None:
    login, refresh, _, directory, sessions, _, issuer, account = world
    first = (await login.login("ada", PASSWORD, CLIENT)).tokens
    await login.login("ada", PASSWORD, CLIENT)
    await refresh.logout_everywhere(await principal_of(issuer, first.access_token))
    assert directory.accounts[account.id].token_version == 1
    assert len(sessions.revoked) == 2
    with pytest.raises(TokenRevokedError):
        await ActiveAccountCheck(directory, sessions).check(await principal_of(issuer, first.access_token))


async def test_logout_ends_only_the_current_session(world) -> None:
    login, refresh, _, directory, sessions, _, issuer, _ = world
    first = (await login.login("ada", PASSWORD, CLIENT)).tokens
    await login.login("ada", PASSWORD, CLIENT)
    principal = await principal_of(issuer, first.access_token)
    await refresh.logout(principal)
    assert list(sessions.revoked) == [uuid.UUID(principal.session_id)]
    with pytest.raises(SessionRevoked):  # the logged-out access token no longer opens auth_service either
        await ActiveAccountCheck(directory, sessions).check(principal)


async def test_change_password(world) -> None:
    login, _, passwords, directory, sessions, limiter, issuer, account = world
    first = (await login.login("ada", PASSWORD, CLIENT)).tokens
    await login.login("ada", PASSWORD, CLIENT)
    principal = await principal_of(issuer, first.access_token)

    with pytest.raises(WrongCurrentPassword):
        await passwords.change(principal, "wrong", "Quartz-Lantern-Meadow-77", CLIENT)
    assert (RateRule.PASSWORD_ACCOUNT, principal.subject) in limiter.hits
    assert limiter.checks == []  # spent before the password is checked, never merely tested
    with pytest.raises(WeakPassword):
        await passwords.change(principal, PASSWORD, PASSWORD, CLIENT)
    with pytest.raises(WeakPassword):
        await passwords.change(principal, PASSWORD, "ada-Quartz-Lantern", CLIENT)

    pair = await passwords.change(principal, PASSWORD, "Quartz-Lantern-Meadow-77", CLIENT)
    assert directory.accounts[account.id].password_hash == "argon2:Quartz-Lantern-Meadow-77"
    assert directory.password_updates == [(account.id, True)]
    claims = await issuer.read_access(pair.access_token)
    assert claims.ver == 1
    active = [sid for sid in sessions.rows if sid not in sessions.revoked]
    assert [str(sid) for sid in active] == [claims.sid]  # every other session ended
    assert set(sessions.revoked.values()) == {"password_changed"}


async def test_introspection(world) -> None:
    login, refresh, _, directory, sessions, _, issuer, _ = world
    inspector = IntrospectionService(issuer, directory, sessions)
    pair = (await login.login("ada", PASSWORD, CLIENT)).tokens
    assert (await inspector.inspect(pair.access_token)).valid
    assert not (await inspector.inspect(None)).valid
    assert not (await inspector.inspect(pair.refresh_token)).valid
    await refresh.logout(await principal_of(issuer, pair.access_token))
    ended = await inspector.inspect(pair.access_token)
    assert (ended.valid, ended.reason) == (False, "The session has ended")
    assert ended.claims is not None


def test_service_token_grant() -> None:
    issuer = make_issuer()
    grants = ServiceTokenService({"medias_service": "s3cret-value"}, issuer)
    token, ttl = grants.issue("client_credentials", "medias_service", "s3cret-value")
    assert ttl == 300
    for grant, client_id, secret in [
        ("client_credentials", "medias_service", "s3cret-valuE"),
        ("client_credentials", "medias_service", ""),
        ("client_credentials", "stranger", "s3cret-value"),
        ("client_credentials", None, None),
    ]:
        with pytest.raises(InvalidClient):
            grants.issue(grant, client_id, secret)
    with pytest.raises(UnsupportedGrantType):
        grants.issue("password", "medias_service", "s3cret-value")
    assert token


async def test_service_tokens_carry_svc_and_the_internal_audience() -> None:
    issuer = make_issuer()
    token, _ = issuer.service_token("medias_service")
    claims = await issuer.read_access(token)
    assert (claims.svc, claims.aud, claims.sub) == ("medias_service", "main-internal", "service:medias_service")
    own = OwnServiceToken(issuer, "auth_service")
    assert own.token() == own.token()
    own.forget()
    assert (await issuer.read_access(own.token())).svc == "auth_service"


async def test_rotation_keeps_old_tokens_valid() -> None:
    old, new = SigningKey.generate(), SigningKey.generate()
    before = make_issuer([old])
    after = make_issuer([new, old])  # newest first: it signs, both verify
    token = before.service_token("x")[0]
    assert (await after.read_access(token)).svc == "x"
    assert jwt.get_unverified_header(after.service_token("x")[0])["kid"] == new.kid
    with pytest.raises(InvalidTokenError):
        await make_issuer([new]).read_access(token)  # once the old key is dropped, its tokens die


async def test_access_token_lifetime_follows_settings() -> None:
    issuer = make_issuer(access_ttl_seconds=60)
    directory = FakeDirectory()
    account = directory.add("z@example.com", "zed", "argon2:x")
    session = await FakeSessions(directory).start(account.id, CLIENT, ttl_seconds=10)
    claims = await issuer.read_access(issuer.pair(account, session).access_token)
    assert claims.exp - claims.iat == 60
    assert claims.iat <= time.time() + 1


async def test_refresh_after_a_password_change_keeps_working(world) -> None:
    """The new pair carries the new token_version: its refresh token must be accepted, not log the user out."""
    login, refresh, passwords, directory, _, _, issuer, account = world
    first = (await login.login("ada", PASSWORD, CLIENT)).tokens
    changed = await passwords.change(
        await principal_of(issuer, first.access_token), PASSWORD, "Quartz-Lantern-77x", CLIENT
    )
    assert directory.accounts[account.id].token_version == 1
    assert (await issuer.read_refresh(changed.refresh_token)).token_version == 1

    renewed = await refresh.refresh(changed.refresh_token, CLIENT)
    claims = await issuer.read_access(renewed.access_token)
    assert claims.ver == 1
    assert (await issuer.read_refresh(renewed.refresh_token)).token_version == 1
    again = await refresh.refresh(renewed.refresh_token, CLIENT)  # and the one after that
    assert (await issuer.read_access(again.access_token)).ver == 1
    inspector = IntrospectionService(issuer, directory, world[4])
    assert (await inspector.inspect(again.access_token)).valid


async def test_verify_checks_the_token_kind(world) -> None:
    """/auth/verify reads tokens as every service does: a user token with the internal audience, or a service
    token with the user audience, is not valid."""
    key = SigningKey.generate()
    issuer = make_issuer([key])
    directory, sessions = world[3], world[4]
    inspector = IntrospectionService(issuer, directory, sessions)
    account = next(iter(directory.accounts.values()))
    signer = TokenSigner(key, "qhitz-auth")
    session = await sessions.start(account.id, CLIENT, ttl_seconds=60)
    user = {"subject": str(account.id), "ttl_seconds": 60, "sid": str(session.id), "typ": "access"}
    assert (await inspector.inspect(signer.sign(audience="qhitz-api", **user))).valid

    forged = [
        (
            signer.sign(audience="main-internal", **user),
            "The token audience does not match its kind",
        ),  # user token, internal audience
        (signer.sign(audience="qhitz-api", svc="medias_service", **user), "The token audience does not match its kind"),
        (signer.sign(audience=["qhitz-api", "main-internal"], **user), "The token audience does not match its kind"),
        (signer.sign(audience="qhitz-api", **(user | {"typ": "refresh"})), "Only access tokens are accepted here"),
        (
            signer.sign(audience="qhitz-auth", **(user | {"typ": "refresh"})),
            "The token is not valid",
        ),  # the refresh audience
    ]
    for token, reason in forged:
        result = await inspector.inspect(token)
        assert not result.valid
        assert result.reason == reason
    service = await inspector.inspect(signer.sign(audience="main-internal", svc="medias_service", **user))
    assert service.valid and service.claims["svc"] == "medias_service"
