"""CachingTokenVerifier: one signature check per token string, bounded, never past exp."""

from __future__ import annotations

import time

import pytest

from qhitz_shared.errors import InvalidTokenError
from qhitz_shared.tokens import CachingTokenVerifier, SigningKey, StaticKeySource, TokenSigner

AUDIENCES = ["qhitz-api"]


class CountingKeys(StaticKeySource):
    """The real key source, counting lookups: one lookup per signature check."""

    def __init__(self, key: SigningKey) -> None:
        super().__init__([key])
        self.lookups = 0

    async def get(self, kid: str):
        self.lookups += 1
        return await super().get(kid)


@pytest.fixture
def key() -> SigningKey:
    return SigningKey.generate()


def sign(key: SigningKey, subject: str = "u", **kwargs) -> str:
    return TokenSigner(key, "qhitz-auth").sign(subject=subject, audience="qhitz-api", **kwargs)


async def test_the_same_token_is_checked_once(key) -> None:
    keys = CountingKeys(key)
    verifier = CachingTokenVerifier(keys, "qhitz-auth")
    token = sign(key, ttl_seconds=60)
    first = await verifier.verify(token, AUDIENCES)
    assert await verifier.verify(token, AUDIENCES) == first
    assert keys.lookups == 1
    with pytest.raises(InvalidTokenError):  # another audience is another question
        await verifier.verify(token, ["main-internal"])


async def test_a_token_past_its_exp_is_not_served_from_the_cache(key) -> None:
    keys = CountingKeys(key)
    verifier = CachingTokenVerifier(keys, "qhitz-auth", leeway_seconds=30)
    token = sign(key, ttl_seconds=10, now=int(time.time()) - 12)  # expired, but inside the leeway
    await verifier.verify(token, AUDIENCES)
    await verifier.verify(token, AUDIENCES)
    assert keys.lookups == 2


async def test_the_cache_is_bounded_least_recently_used_first(key) -> None:
    keys = CountingKeys(key)
    verifier = CachingTokenVerifier(keys, "qhitz-auth", max_entries=2)
    a, b, c = (sign(key, subject=name, ttl_seconds=60) for name in "abc")
    for token in (a, b, a, c):  # c evicts b, the least recently used
        await verifier.verify(token, AUDIENCES)
    assert keys.lookups == 3
    await verifier.verify(a, AUDIENCES)
    assert keys.lookups == 3
    await verifier.verify(b, AUDIENCES)
    assert keys.lookups == 4


async def test_a_forged_token_is_never_cached(key) -> None:
    verifier = CachingTokenVerifier(CountingKeys(key), "qhitz-auth")
    forged = sign(SigningKey.generate(), ttl_seconds=60)
    for _ in range(2):
        with pytest.raises(InvalidTokenError):
            await verifier.verify(forged, AUDIENCES)


async def test_a_token_of_another_issuer_is_refused(key) -> None:
    verifier = CachingTokenVerifier(CountingKeys(key), "qhitz-auth")
    foreign = TokenSigner(key, "someone-else").sign(subject="u", audience="qhitz-api", ttl_seconds=60)
    for _ in range(2):
        with pytest.raises(InvalidTokenError):
            await verifier.verify(foreign, AUDIENCES)


async def test_the_configured_leeway_applies(key) -> None:
    verifier = CachingTokenVerifier(CountingKeys(key), "qhitz-auth", leeway_seconds=30)
    expired = sign(key, ttl_seconds=10, now=int(time.time()) - 20)  # 10 s past exp: inside 30 s, not inside 5 s
    assert (await verifier.verify(expired, AUDIENCES)).sub == "u"


async def test_a_cache_of_one_entry_keeps_the_last_token(key) -> None:
    keys = CountingKeys(key)
    verifier = CachingTokenVerifier(keys, "qhitz-auth", max_entries=1)
    token = sign(key, ttl_seconds=60)
    await verifier.verify(token, AUDIENCES)
    await verifier.verify(token, AUDIENCES)
    assert keys.lookups == 1


async def test_a_cache_of_zero_entries_checks_every_time(key) -> None:
    keys = CountingKeys(key)
    verifier = CachingTokenVerifier(keys, "qhitz-auth", max_entries=0)
    token = sign(key, ttl_seconds=60)
    await verifier.verify(token, AUDIENCES)
    await verifier.verify(token, AUDIENCES)
    assert keys.lookups == 2
