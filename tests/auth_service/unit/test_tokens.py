"""What auth_service's tokens say, as the services and auth_service itself read them back."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest

from auth_service.domain.accounts import ClientInfo
from auth_service.domain.errors import InvalidRefreshToken
from auth_service.services.tokens import KeyRing
from qhitz_shared.errors import InvalidTokenError
from qhitz_shared.tokens import SigningKey, TokenSigner, public_keys_from_jwks
from tests.auth_service.unit.fakes import FakeDirectory, FakeSessions, make_issuer

UNVERIFIED = {"verify_signature": False}
CLIENT = ClientInfo(ip_address="203.0.113.4", user_agent="pytest")


@pytest.fixture
async def issued():
    key = SigningKey.generate()
    issuer = make_issuer([key], access_ttl_seconds=60, refresh_ttl_seconds=3600)
    directory = FakeDirectory()
    account = directory.add("t@example.com", "tess", "argon2:x", token_version=4, roles=["user", "editor"])
    session = await FakeSessions(directory).start(account.id, CLIENT, ttl_seconds=3600)
    return key, issuer, account, session, issuer.pair(account, session)


async def test_an_access_token_carries_who_and_what_for_the_api_audience(issued) -> None:
    _, issuer, account, session, pair = issued
    claims = jwt.decode(pair.access_token, options=UNVERIFIED)
    assert claims["aud"] == "qhitz-api" and claims["iss"] == "qhitz-auth"
    assert (claims["sub"], claims["sid"], claims["typ"]) == (str(account.id), str(session.id), "access")
    assert (claims["roles"], claims["perms"], claims["ver"]) == (["user", "editor"], ["media:read"], 4)
    assert claims["exp"] - claims["iat"] == 60
    assert "fam" not in claims and "gen" not in claims and "svc" not in claims
    assert (pair.expires_in, pair.refresh_expires_in) == (60, 3600)
    assert (await issuer.read_access(pair.access_token)).sub == str(account.id)


async def test_a_refresh_token_names_its_session_family_and_generation_for_auth_only(issued) -> None:
    _, issuer, account, session, pair = issued
    claims = jwt.decode(pair.refresh_token, options=UNVERIFIED)
    assert (claims["aud"], claims["typ"], claims["exp"] - claims["iat"]) == ("qhitz-auth", "refresh", 3600)
    assert "roles" not in claims and "perms" not in claims
    read = await issuer.read_refresh(pair.refresh_token)
    assert (read.user_id, read.session_id, read.family_id) == (account.id, session.id, session.family_id)
    assert (read.generation, read.token_version) == (0, 4)
    with pytest.raises(InvalidTokenError):  # the API audience is not the refresh audience
        await issuer.read_access(pair.refresh_token)


async def test_refresh_tokens_missing_a_part_or_with_bad_ids_are_refused(issued) -> None:
    key, issuer, account, session, _ = issued
    signer = TokenSigner(key, "qhitz-auth")
    base = {
        "subject": str(account.id),
        "audience": "qhitz-auth",
        "ttl_seconds": 60,
        "sid": str(session.id),
        "fam": str(session.family_id),
        "gen": 0,
        "typ": "refresh",
    }
    assert (await issuer.read_refresh(signer.sign(**base))).generation == 0
    cases = [
        ({"typ": "access"}, "This is not a refresh token"),
        ({"sid": None}, "This is not a refresh token"),
        ({"fam": None}, "This is not a refresh token"),
        ({"gen": None}, "This is not a refresh token"),
        ({"sid": "not-a-uuid"}, "The refresh token claims are not valid"),
        ({"fam": "not-a-uuid"}, "The refresh token claims are not valid"),
        ({"subject": "service:x"}, "The refresh token claims are not valid"),
        ({"now": int(time.time()) - 120}, "The token has expired"),  # the verifier's reason is passed on
    ]
    for claims, reason in cases:
        with pytest.raises(InvalidRefreshToken) as refused:
            await issuer.read_refresh(signer.sign(**(base | claims)))
        assert refused.value.detail == reason


async def test_a_service_token_is_for_the_internal_audience_and_short_lived() -> None:
    issuer = make_issuer(service_token_ttl_seconds=120)
    token, ttl = issuer.service_token("medias_service")
    claims = jwt.decode(token, options=UNVERIFIED)
    assert ttl == 120 and claims["exp"] - claims["iat"] == 120
    assert (claims["aud"], claims["svc"], claims["sub"], claims["typ"]) == (
        "main-internal",
        "medias_service",
        "service:medias_service",
        "access",
    )


def test_the_key_ring_signs_with_the_newest_key_and_publishes_all() -> None:
    with pytest.raises(ValueError, match=r"^at least one signing key is needed$"):
        KeyRing([])
    new, old = SigningKey.generate(), SigningKey.generate()
    ring = KeyRing([new, old])
    assert ring.current is new
    assert list(public_keys_from_jwks(ring.jwks())) == [new.kid, old.kid]
    token = ring.signer("iss").sign(subject=str(uuid.uuid4()), audience="a", ttl_seconds=60)
    assert jwt.get_unverified_header(token)["kid"] == new.kid
    assert ring.signer("iss").issuer == "iss"


async def test_the_key_ring_verifier_takes_every_key_and_its_leeway() -> None:
    new, old = SigningKey.generate(), SigningKey.generate()
    ring = KeyRing([new, old])
    late = TokenSigner(old, "iss").sign(subject="u", audience="a", ttl_seconds=10, now=int(time.time()) - 13)
    assert (await ring.verifier("iss", leeway_seconds=5).verify(late, ["a"])).sub == "u"
    with pytest.raises(InvalidTokenError, match="expired"):
        await ring.verifier("iss", leeway_seconds=0).verify(late, ["a"])
    with pytest.raises(InvalidTokenError):
        await ring.verifier("other-issuer", leeway_seconds=5).verify(late, ["a"])
