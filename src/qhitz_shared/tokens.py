"""EdDSA (Ed25519) JWTs: signing, JWKS documents and local verification.

The token contract of the platform. Access tokens carry iss, aud, sub, exp, iat, jti, roles, perms and ver;
service tokens carry svc and the internal audience; a token an API key was exchanged for has amr ["api_key"]
(RFC 8176 authentication methods). Verification accepts only EdDSA and checks iss, aud and exp.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

import jwt
import msgspec
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm

from qhitz_shared.errors import InvalidTokenError

ALGORITHM = "EdDSA"


class TokenClaims(msgspec.Struct, frozen=True, omit_defaults=True):
    sub: str
    iss: str
    aud: str | list[str]
    exp: int
    iat: int
    jti: str
    nbf: int | None = None
    roles: list[str] = []
    perms: list[str] = []
    ver: int = 0
    svc: str | None = None
    typ: str = "access"
    sid: str | None = None
    fam: str | None = None
    amr: list[str] = []
    gen: int | None = None

    @property
    def audiences(self) -> list[str]:
        return [self.aud] if isinstance(self.aud, str) else list(self.aud)


def _thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 thumbprint: stable, so every replica names a key the same way."""
    canonical = json.dumps({"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


class SigningKey:
    """An Ed25519 private key with its key id."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self.private_key = private_key
        self.public_key = private_key.public_key()
        self.kid = _thumbprint(OKPAlgorithm.to_jwk(self.public_key, as_dict=True))

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, pem: bytes) -> SigningKey:
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("signing keys must be Ed25519")
        return cls(key)

    @classmethod
    def from_file(cls, path: str | Path) -> SigningKey:
        return cls.from_pem(Path(path).read_bytes())

    def to_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def public_jwk(self) -> dict[str, Any]:
        jwk = OKPAlgorithm.to_jwk(self.public_key, as_dict=True)
        return {**jwk, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}


def jwks_document(keys: Iterable[SigningKey]) -> dict[str, Any]:
    return {"keys": [key.public_jwk() for key in keys]}


def public_keys_from_jwks(document: dict[str, Any]) -> dict[str, Ed25519PublicKey]:
    """Keep only Ed25519 signing keys with a kid; anything else in the set is ignored."""
    keys: dict[str, Ed25519PublicKey] = {}
    for entry in document.get("keys", []):
        if entry.get("kty") != "OKP" or entry.get("crv") != "Ed25519" or not entry.get("kid"):
            continue
        key = OKPAlgorithm.from_jwk(entry)
        if isinstance(key, Ed25519PublicKey):
            keys[entry["kid"]] = key
    return keys


class TokenSigner:
    """Signs claims with the newest key; ``now`` is injectable for tests."""

    def __init__(self, key: SigningKey, issuer: str) -> None:
        self.key = key
        self.issuer = issuer

    def sign(
        self,
        *,
        subject: str,
        audience: str,
        ttl_seconds: int,
        now: int | None = None,
        jti: str | None = None,
        **claims: Any,
    ) -> str:
        issued = int(time.time()) if now is None else now
        payload = {
            "iss": self.issuer,
            "aud": audience,
            "sub": subject,
            "iat": issued,
            "nbf": issued,
            "exp": issued + ttl_seconds,
            "jti": jti or uuid.uuid4().hex,
            **{name: value for name, value in claims.items() if value is not None},
        }
        return jwt.encode(payload, self.key.private_key, algorithm=ALGORITHM, headers={"kid": self.key.kid})


class PublicKeySource(Protocol):
    """Where verifiers find public keys by kid (a JWKS endpoint, or the signer's own keys)."""

    async def get(self, kid: str) -> Ed25519PublicKey | None: ...


class StaticKeySource:
    def __init__(self, keys: Sequence[SigningKey]) -> None:
        self._keys = {key.kid: key.public_key for key in keys}

    async def get(self, kid: str) -> Ed25519PublicKey | None:
        return self._keys.get(kid)


class TokenVerifier:
    """Verifies a JWT locally: EdDSA only, known kid, issuer, one of the expected audiences, exp/nbf."""

    def __init__(self, keys: PublicKeySource, issuer: str, *, leeway_seconds: int = 5) -> None:
        self._keys = keys
        self._issuer = issuer
        self._leeway = leeway_seconds

    async def verify(self, token: str, audiences: Sequence[str]) -> TokenClaims:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidTokenError("The token is malformed") from exc
        if header.get("alg") != ALGORITHM:
            raise InvalidTokenError("The token algorithm is not accepted")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidTokenError("The token names no signing key")
        key = await self._keys.get(kid)
        if key is None:
            raise InvalidTokenError("The token was signed by an unknown key")
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=list(audiences),
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "jti"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidTokenError("The token has expired") from exc
        except jwt.ImmatureSignatureError as exc:
            raise InvalidTokenError("The token is not valid yet") from exc
        except jwt.PyJWTError as exc:
            raise InvalidTokenError("The token is not valid") from exc
        try:
            return msgspec.convert(payload, TokenClaims)
        except msgspec.ValidationError as exc:
            raise InvalidTokenError("The token claims are not valid") from exc


class CachingTokenVerifier(TokenVerifier):
    """A TokenVerifier that remembers tokens it verified, so the same token string costs one signature check.

    Bounded (``max_entries``, least recently used out first) and keyed by the whole token and the accepted
    audiences; an entry is used only while ``now < exp`` (never into the leeway a fresh verification allows).
    It caches the signature check only: revocation (the deny state) is checked on every request after it.
    bench/token_verify_cache.py measures what it saves."""

    def __init__(
        self, keys: PublicKeySource, issuer: str, *, leeway_seconds: int = 5, max_entries: int = 10_000
    ) -> None:
        super().__init__(keys, issuer, leeway_seconds=leeway_seconds)
        self._max = max_entries
        self._cache: OrderedDict[tuple[str, tuple[str, ...]], TokenClaims] = OrderedDict()

    async def verify(self, token: str, audiences: Sequence[str]) -> TokenClaims:
        key = (token, tuple(audiences))
        claims = self._cache.get(key)
        if claims is not None:
            if time.time() < claims.exp:
                self._cache.move_to_end(key)
                return claims
            del self._cache[key]
        claims = await super().verify(token, audiences)
        if self._max > 0:
            self._cache[key] = claims
            if len(self._cache) > self._max:
                self._cache.popitem(last=False)
        return claims
