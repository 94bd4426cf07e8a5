import asyncio
import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from jwt.algorithms import RSAAlgorithm

from qhitz_shared.errors import InvalidTokenError
from qhitz_shared.http.observability import outgoing_client
from qhitz_shared.jwks import JwksKeySource
from qhitz_shared.tokens import (
    SigningKey,
    StaticKeySource,
    TokenSigner,
    TokenVerifier,
    jwks_document,
    public_keys_from_jwks,
)
from tests.support.keys import JWKS_PATH, StaticHttpServer


async def test_round_trip_and_claims():
    key = SigningKey.generate()
    token = TokenSigner(key, "iss").sign(subject="u1", audience="api", ttl_seconds=60, roles=["user"], ver=3)
    claims = await TokenVerifier(StaticKeySource([key]), "iss").verify(token, ["api"])
    assert (claims.sub, claims.roles, claims.ver, claims.typ) == ("u1", ["user"], 3, "access")


async def test_key_ids_are_stable_thumbprints():
    key = SigningKey.generate()
    again = SigningKey.from_pem(key.to_pem())
    assert key.kid == again.kid
    assert jwks_document([key])["keys"][0] | {"x": None} == {
        "kty": "OKP",
        "crv": "Ed25519",
        "kid": key.kid,
        "alg": "EdDSA",
        "use": "sig",
        "x": None,
    }


async def test_expiry_issuer_and_audience_are_enforced():
    key = SigningKey.generate()
    verifier = TokenVerifier(StaticKeySource([key]), "iss", leeway_seconds=0)
    signer = TokenSigner(key, "iss")
    expired = signer.sign(subject="u", audience="api", ttl_seconds=10, now=int(time.time()) - 60)
    with pytest.raises(InvalidTokenError, match="expired"):
        await verifier.verify(expired, ["api"])
    with pytest.raises(InvalidTokenError):
        await verifier.verify(signer.sign(subject="u", audience="other", ttl_seconds=60), ["api"])
    with pytest.raises(InvalidTokenError):
        await verifier.verify(TokenSigner(key, "evil").sign(subject="u", audience="api", ttl_seconds=60), ["api"])


async def test_jwks_client_caches_and_refetches_an_unknown_kid_at_most_once_per_cooldown():
    old, new = SigningKey.generate(), SigningKey.generate()
    with StaticHttpServer({JWKS_PATH: jwks_document([old])}).running() as server:
        async with outgoing_client() as http:
            keys = JwksKeySource(f"{server.url}{JWKS_PATH}", http, cache_seconds=300, cooldown_seconds=0.5)
            verifier = TokenVerifier(keys, "iss")
            for _ in range(20):
                await verifier.verify(
                    TokenSigner(old, "iss").sign(subject="u", audience="api", ttl_seconds=60), ["api"]
                )
            assert server.hits[JWKS_PATH] == 1

            server.documents[JWKS_PATH] = jwks_document([old, new])  # rotation: a new key appears
            await asyncio.sleep(0.6)  # past the cooldown that started with the first fetch
            rotated = TokenSigner(new, "iss").sign(subject="u", audience="api", ttl_seconds=60)
            assert (await verifier.verify(rotated, ["api"])).sub == "u"
            assert server.hits[JWKS_PATH] == 2

            await asyncio.sleep(0.6)
            stranger = TokenSigner(SigningKey.generate(), "iss").sign(subject="u", audience="api", ttl_seconds=60)
            for _ in range(10):
                with pytest.raises(InvalidTokenError, match="unknown key"):
                    await verifier.verify(stranger, ["api"])
            assert server.hits[JWKS_PATH] == 3  # one refetch, then the cooldown holds
            await asyncio.sleep(0.6)
            with pytest.raises(InvalidTokenError):
                await verifier.verify(stranger, ["api"])
            assert server.hits[JWKS_PATH] == 4


async def test_a_failing_issuer_costs_one_fetch_per_cooldown_and_known_keys_keep_working():
    key = SigningKey.generate()
    with StaticHttpServer({JWKS_PATH: jwks_document([key])}).running() as server:
        async with outgoing_client() as http:
            keys = JwksKeySource(f"{server.url}{JWKS_PATH}", http, cache_seconds=0.2, cooldown_seconds=1)
            verifier = TokenVerifier(keys, "iss")
            token = TokenSigner(key, "iss").sign(subject="u", audience="api", ttl_seconds=60)
            await verifier.verify(token, ["api"])
            assert server.hits[JWKS_PATH] == 1

            del server.documents[JWKS_PATH]  # the issuer now fails (404)
            await asyncio.sleep(1.1)  # the cache is stale and the cooldown has passed
            results = await asyncio.gather(*(verifier.verify(token, ["api"]) for _ in range(20)))
            assert all(claims.sub == "u" for claims in results)  # last good keys go on verifying
            await asyncio.sleep(0.1)
            assert server.hits[JWKS_PATH] == 2  # one fetch for twenty callers
            stranger = TokenSigner(SigningKey.generate(), "iss").sign(subject="u", audience="api", ttl_seconds=60)
            for _ in range(5):
                with pytest.raises(InvalidTokenError):
                    await verifier.verify(stranger, ["api"])
            assert server.hits[JWKS_PATH] == 2  # unknown kids within the cooldown fetch nothing


async def test_concurrent_callers_share_one_fetch():
    key = SigningKey.generate()
    with StaticHttpServer({JWKS_PATH: jwks_document([key])}).running() as server:
        async with outgoing_client() as http:
            verifier = TokenVerifier(JwksKeySource(f"{server.url}{JWKS_PATH}", http), "iss")
            token = TokenSigner(key, "iss").sign(subject="u", audience="api", ttl_seconds=60)
            await asyncio.gather(*(verifier.verify(token, ["api"]) for _ in range(25)))
            assert server.hits[JWKS_PATH] == 1


# RFC 8037 appendix A.1-A.3: an Ed25519 key pair and its RFC 7638 thumbprint, a known answer from outside this code.
RFC8037_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
RFC8037_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def rfc8037_key() -> SigningKey:
    raw = base64.urlsafe_b64decode(RFC8037_D + "=")
    return SigningKey(Ed25519PrivateKey.from_private_bytes(raw))


def test_the_key_id_is_the_rfc7638_thumbprint():
    key = rfc8037_key()
    assert key.kid == RFC8037_THUMBPRINT
    assert key.public_jwk() == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": RFC8037_X,
        "kid": RFC8037_THUMBPRINT,
        "alg": "EdDSA",
        "use": "sig",
    }


def test_keys_load_from_pem_files_and_only_ed25519_is_accepted(tmp_path):
    path = tmp_path / "key.pem"
    path.write_bytes(rfc8037_key().to_pem())
    assert SigningKey.from_file(path).kid == RFC8037_THUMBPRINT
    assert SigningKey.from_file(str(path)).kid == RFC8037_THUMBPRINT
    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ValueError, match=r"^signing keys must be Ed25519$"):
        SigningKey.from_pem(other)


async def test_the_jwks_reader_keeps_only_ed25519_signing_keys():
    key, second = SigningKey.generate(), SigningKey.generate()
    rsa_jwk = json.loads(
        RSAAlgorithm.to_jwk(rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key())
    )
    x25519_raw = (
        X25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    x25519_jwk = {"kty": "OKP", "crv": "X25519", "x": base64.urlsafe_b64encode(x25519_raw).rstrip(b"=").decode()}
    document = {
        "keys": [
            {**rsa_jwk, "kid": "rsa-1", "alg": "RS256"},
            {**x25519_jwk, "kid": "x25519-1"},
            {**key.public_jwk(), "crv": "Ed448"},  # claims another curve: ignored, not misread
            {**second.public_jwk(), "kid": ""},  # no kid: a verifier could never pick it
            {**rsa_jwk, "crv": "Ed25519", "kid": "rsa-claiming-okp"},  # kty RSA: ignored whatever it claims
            key.public_jwk(),
        ]
    }
    keys = public_keys_from_jwks(document)
    assert list(keys) == [key.kid]
    token = TokenSigner(key, "iss").sign(subject="u", audience="api", ttl_seconds=60)
    assert (await TokenVerifier(StaticKeySource([key]), "iss").verify(token, ["api"])).sub == "u"
    assert public_keys_from_jwks({}) == {}
    assert public_keys_from_jwks(jwks_document([key, second])).keys() == {key.kid, second.kid}


async def test_signed_claims_carry_the_lifetime_and_a_unique_id():
    key = SigningKey.generate()
    signer = TokenSigner(key, "the-issuer")
    token = signer.sign(subject="u1", audience="api", ttl_seconds=90, now=1_700_000_000, perms=["a"], svc=None)
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "kid": key.kid, "typ": "JWT"}
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload.pop("jti")
    assert payload == {
        "iss": "the-issuer",
        "aud": "api",
        "sub": "u1",
        "iat": 1_700_000_000,
        "nbf": 1_700_000_000,
        "exp": 1_700_000_090,
        "perms": ["a"],
    }  # a claim given as None is left out
    assert (
        jwt.decode(signer.sign(subject="u", audience="a", ttl_seconds=1, jti="fixed"), options=UNVERIFIED)["jti"]
        == "fixed"
    )
    ids = {jwt.decode(signer.sign(subject="u", audience="a", ttl_seconds=1), options=UNVERIFIED)["jti"] for _ in "ab"}
    assert len(ids) == 2
    now = int(time.time())
    fresh = jwt.decode(signer.sign(subject="u", audience="a", ttl_seconds=60), options=UNVERIFIED)
    assert now <= fresh["iat"] <= now + 1 and fresh["exp"] == fresh["iat"] + 60


UNVERIFIED = {"verify_signature": False}


def forge(key: SigningKey, claims: dict, **headers) -> str:
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers=headers)


def valid_claims(**overrides) -> dict:
    now = int(time.time())
    claims = {"iss": "iss", "aud": "api", "sub": "u", "iat": now, "exp": now + 60, "jti": "j1"}
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


async def test_the_verifier_refuses_each_broken_part_with_its_reason():
    key = SigningKey.generate()
    verifier = TokenVerifier(StaticKeySource([key]), "iss", leeway_seconds=0)
    assert (await verifier.verify(forge(key, valid_claims(), kid=key.kid), ["api"])).sub == "u"
    now = int(time.time())
    cases = [
        ("not-a-jwt", "The token is malformed"),
        (forge(key, valid_claims()), "The token names no signing key"),
        (forge(key, valid_claims(), kid=""), "The token names no signing key"),
        (forge(SigningKey.generate(), valid_claims(), kid="unknown"), "The token was signed by an unknown key"),
        (
            jwt.encode(
                valid_claims(), "secret-of-32-bytes-or-more-please", algorithm="HS256", headers={"kid": key.kid}
            ),
            "The token algorithm is not accepted",
        ),
        (forge(key, valid_claims(exp=now - 1), kid=key.kid), "The token has expired"),
        (forge(key, valid_claims(nbf=now + 60), kid=key.kid), "The token is not valid yet"),
        (forge(key, valid_claims(aud="elsewhere"), kid=key.kid), "The token is not valid"),
        (forge(key, valid_claims(iss="evil"), kid=key.kid), "The token is not valid"),
    ]
    for required in ("exp", "iat", "iss", "aud", "sub", "jti"):
        cases.append((forge(key, valid_claims(**{required: None}), kid=key.kid), "The token is not valid"))
    cases.append((forge(key, valid_claims(roles="admin"), kid=key.kid), "The token claims are not valid"))
    for token, reason in cases:
        with pytest.raises(InvalidTokenError) as refused:
            await verifier.verify(token, ["api"])
        assert refused.value.detail == reason  # the detail a client reads in the problem answer


async def test_the_leeway_forgives_a_few_seconds_of_clock_skew_and_no_more():
    key = SigningKey.generate()
    now = int(time.time())
    late = forge(key, valid_claims(iat=now - 100, exp=now - 3), kid=key.kid)
    early = forge(key, valid_claims(nbf=now + 3), kid=key.kid)
    lenient = TokenVerifier(StaticKeySource([key]), "iss")  # the default leeway: 5 seconds
    assert (await lenient.verify(late, ["api"])).sub == "u"
    assert (await lenient.verify(early, ["api"])).sub == "u"
    # exp is an integer second: 5 seconds before this one is past the leeway whatever the fraction of now
    too_late = forge(key, valid_claims(iat=now - 100, exp=int(time.time()) - 5), kid=key.kid)
    with pytest.raises(InvalidTokenError):
        await lenient.verify(too_late, ["api"])
    strict = TokenVerifier(StaticKeySource([key]), "iss", leeway_seconds=1)
    for token in (late, early):
        with pytest.raises(InvalidTokenError):
            await strict.verify(token, ["api"])


async def test_any_of_the_expected_audiences_is_accepted():
    key = SigningKey.generate()
    verifier = TokenVerifier(StaticKeySource([key]), "iss")
    claims = await verifier.verify(forge(key, valid_claims(aud=["x", "internal"]), kid=key.kid), ["api", "internal"])
    assert claims.audiences == ["x", "internal"]
    claims = await verifier.verify(forge(key, valid_claims(aud="api"), kid=key.kid), ["api", "internal"])
    assert claims.audiences == ["api"]
