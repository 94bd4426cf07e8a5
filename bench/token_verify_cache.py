"""Micro-benchmark (not a test): what verifying the same access token again costs, with and without the cache.

    uv run python bench/token_verify_cache.py [--number 2000] [--repeat 7]

Measures, with timeit on one event loop, the per-call time of ``TokenVerifier.verify`` (EdDSA signature,
header, claims; keys already in memory, as with a warm JWKS cache) and of ``CachingTokenVerifier.verify`` on a
token it has seen (the hit path), and the revocation check that runs after either (``DenyState.check`` with a
few thousand entries). Prints the best of ``repeat`` rounds per call and the ratio; writes
bench/results/token_verify_cache.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import timeit
import uuid
from pathlib import Path

from qhitz_shared.principal import Principal
from qhitz_shared.revocation.events import RevocationEvent
from qhitz_shared.revocation.state import DenyState
from qhitz_shared.tokens import CachingTokenVerifier, SigningKey, StaticKeySource, TokenSigner, TokenVerifier

RESULTS = Path(__file__).parent / "results" / "token_verify_cache.json"
AUDIENCES = ["qhitz-api", "main-internal"]


def per_call(loop: asyncio.AbstractEventLoop, verify, token: str, number: int, repeat: int) -> float:
    async def batch() -> None:
        for _ in range(number):
            await verify(token, AUDIENCES)

    rounds = timeit.repeat(lambda: loop.run_until_complete(batch()), number=1, repeat=repeat)
    return min(rounds) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    key = SigningKey.generate()
    token = TokenSigner(key, "qhitz-auth").sign(
        subject=str(uuid.uuid4()),
        audience="qhitz-api",
        ttl_seconds=900,
        roles=["user"],
        perms=["media:read", "media:write", "media:delete"],
        ver=3,
        sid=str(uuid.uuid4()),
        typ="access",
    )
    plain = TokenVerifier(StaticKeySource([key]), "qhitz-auth")
    cached = CachingTokenVerifier(StaticKeySource([key]), "qhitz-auth")
    loop = asyncio.new_event_loop()
    loop.run_until_complete(cached.verify(token, AUDIENCES))  # warm: every later call is a hit

    state = DenyState(960)
    state.apply(
        RevocationEvent(seq=n, user_id=str(uuid.uuid4()), at=0.0, token_version=1, active=True) for n in range(5000)
    )
    principal = Principal(subject=str(uuid.uuid4()), token_version=3, session_id=str(uuid.uuid4()))
    deny = min(timeit.repeat(lambda: state.check(principal), number=args.number, repeat=args.repeat)) / args.number

    # interleaved rounds, so both see the same machine load
    verify_s, hit_s = [], []
    for _ in range(3):
        verify_s.append(per_call(loop, plain.verify, token, args.number, args.repeat))
        hit_s.append(per_call(loop, cached.verify, token, args.number, args.repeat))
    verify, hit = min(verify_s), min(hit_s)
    result = {
        "verify_us": round(verify * 1e6, 2),
        "cache_hit_us": round(hit * 1e6, 2),
        "ratio": round(verify / hit, 1),
        "deny_state_check_us": round(deny * 1e6, 3),
        "number": args.number,
        "repeat": args.repeat,
    }
    print(f"TokenVerifier.verify (signature check)  {result['verify_us']:>8} us/call")
    print(f"CachingTokenVerifier.verify (hit)       {result['cache_hit_us']:>8} us/call")
    print(f"ratio                                   {result['ratio']:>8} x")
    print(f"DenyState.check (after either)          {result['deny_state_check_us']:>8} us/call")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
