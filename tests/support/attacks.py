"""Forged and misused tokens every service's shared verification must refuse; reusable by each service's tests.

Usage (see tests/main_service/e2e/test_token_attacks.py):

    @pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
    async def test_attack(attack, client, context):
        await assert_refused(client, attack, context, user_path="/api/v1/...", internal_path="/internal/v1/...")

``context`` holds the issuer's real key and a real user's claims, so every forged token differs from a valid one
in exactly one way. ``assert_baseline`` first shows the untampered tokens are accepted (else the refusals prove
nothing).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization

from qhitz_shared.http.security import JwtSettings
from qhitz_shared.tokens import SigningKey, TokenSigner


@dataclass(frozen=True)
class AttackContext:
    key: SigningKey  # the issuer's real signing key
    settings: JwtSettings
    user_id: str
    roles: list[str] = field(default_factory=list)
    perms: list[str] = field(default_factory=list)
    ver: int = 0

    def user_claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": self.settings.issuer,
            "aud": self.settings.audience,
            "sub": self.user_id,
            "iat": now,
            "nbf": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
            "roles": self.roles,
            "perms": self.perms,
            "ver": self.ver,
            "typ": "access",
        }
        claims.update(overrides)
        return {name: value for name, value in claims.items() if value is not None}

    def sign(self, claims: dict[str, Any], key: SigningKey | None = None, **headers: Any) -> str:
        signer = key or self.key
        return jwt.encode(claims, signer.private_key, algorithm="EdDSA", headers={"kid": signer.kid, **headers})

    def user_token(self) -> str:
        return self.sign(self.user_claims())

    def service_token(self, name: str = "auth_service") -> str:
        return TokenSigner(self.key, self.settings.issuer).sign(
            subject=f"service:{name}", audience=self.settings.internal_audience, ttl_seconds=300, svc=name
        )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(document: dict[str, Any]) -> str:
    return _b64(json.dumps(document, separators=(",", ":")).encode())


def _alg_none(ctx: AttackContext) -> str:
    return f"{_segment({'alg': 'none', 'typ': 'JWT', 'kid': ctx.key.kid})}.{_segment(ctx.user_claims())}."


def _hs256_with_public_key(ctx: AttackContext) -> str:
    """The classic confusion: HMAC keyed with the (public) verification key, hoping the verifier uses it as a secret."""
    public_pem = ctx.key.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = f"{_segment({'alg': 'HS256', 'typ': 'JWT', 'kid': ctx.key.kid})}.{_segment(ctx.user_claims())}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _tampered(ctx: AttackContext) -> str:
    header, _, signature = ctx.user_token().split(".")
    escalated = ctx.user_claims(roles=["admin"], perms=["users:read", "users:write", "roles:manage", "admin:stats"])
    return f"{header}.{_segment(escalated)}.{signature}"


def _wrong_signature(ctx: AttackContext) -> str:
    """Signed by another Ed25519 key but naming the real key's kid."""
    other = SigningKey.generate()
    return jwt.encode(ctx.user_claims(), other.private_key, algorithm="EdDSA", headers={"kid": ctx.key.kid})


@dataclass(frozen=True)
class Attack:
    name: str
    forge: Callable[[AttackContext], str]
    target: str = "user"  # "user": a user endpoint; "internal": a service-only endpoint
    status: int = 401
    code: str = "invalid_token"  # the one problem code this refusal must carry


ATTACKS: list[Attack] = [
    Attack("alg_none", _alg_none),
    Attack("hs256_signed_with_public_key", _hs256_with_public_key),
    Attack(
        "expired", lambda c: c.sign(c.user_claims(iat=int(time.time()) - 7200, nbf=None, exp=int(time.time()) - 60))
    ),
    Attack("not_yet_valid_nbf", lambda c: c.sign(c.user_claims(nbf=int(time.time()) + 3600))),
    Attack(
        "not_yet_valid_iat",
        lambda c: c.sign(c.user_claims(iat=int(time.time()) + 3600, nbf=None, exp=int(time.time()) + 7200)),
    ),
    Attack("wrong_issuer", lambda c: c.sign(c.user_claims(iss="https://evil.example"))),
    Attack("wrong_audience", lambda c: c.sign(c.user_claims(aud="some-other-api"))),
    Attack("unknown_kid", lambda c: c.sign(c.user_claims(), key=SigningKey.generate())),
    Attack("wrong_signature_real_kid", _wrong_signature),
    Attack("tampered_payload", _tampered),
    Attack("refresh_token_as_access", lambda c: c.sign(c.user_claims(typ="refresh", aud=c.settings.audience))),
    Attack("missing_exp", lambda c: c.sign(c.user_claims(exp=None))),
    Attack("service_token_where_user_expected", lambda c: c.service_token()),
    Attack(
        "internal_audience_without_svc", lambda c: c.sign(c.user_claims(aud=c.settings.internal_audience)), "internal"
    ),
    Attack("user_token_on_internal_endpoint", lambda c: c.user_token(), "internal", 403, "permission_denied"),
]


async def assert_baseline(client: httpx.AsyncClient, ctx: AttackContext, *, user_path: str, internal_path: str) -> None:
    """The untampered tokens are accepted: a user token on the user endpoint, a service token on the internal one."""
    user = await client.get(user_path, headers={"Authorization": f"Bearer {ctx.user_token()}"})
    assert user.status_code == 200, user.text
    service = await client.get(internal_path, headers={"Authorization": f"Bearer {ctx.service_token()}"})
    assert service.status_code == 200, service.text


async def assert_refused(
    client: httpx.AsyncClient, attack: Attack, ctx: AttackContext, *, user_path: str, internal_path: str
) -> None:
    path = user_path if attack.target == "user" else internal_path
    response = await client.get(path, headers={"Authorization": f"Bearer {attack.forge(ctx)}"})
    assert response.status_code == attack.status, f"{attack.name}: {response.status_code} {response.text}"
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == attack.code, f"{attack.name}: {response.text}"
