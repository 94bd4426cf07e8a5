import asyncio
import time

import pytest

from qhitz_shared.errors import InvalidTokenError
from qhitz_shared.http.observability import outgoing_client
from qhitz_shared.jwks import JwksKeySource
from qhitz_shared.tokens import SigningKey, StaticKeySource, TokenSigner, TokenVerifier, jwks_document
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
