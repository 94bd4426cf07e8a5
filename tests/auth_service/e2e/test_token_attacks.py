"""The attacks again, now forged with auth_service's real key and sent to the real main_service over HTTP."""

from __future__ import annotations

import jwt
import pytest

from tests.support.attacks import ATTACKS, Attack, AttackContext, assert_baseline, assert_refused
from tests.support.platform import bearer, register


@pytest.fixture
async def context(platform, auth) -> AttackContext:
    account = await register(auth)
    claims = jwt.decode(account["access_token"], options={"verify_signature": False})
    return AttackContext(
        key=platform.signing_key(),
        settings=platform.jwt,
        user_id=claims["sub"],
        roles=claims["roles"],
        perms=claims["perms"],
        ver=claims["ver"],
    )


def paths(context: AttackContext) -> dict[str, str]:
    return {"user_path": "/api/v1/users/me", "internal_path": f"/internal/v1/users/{context.user_id}"}


async def test_untampered_tokens_are_accepted(main, context) -> None:
    await assert_baseline(main, context, **paths(context))


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda attack: attack.name)
async def test_attack_is_refused_by_main_service(main, context, attack: Attack) -> None:
    await assert_refused(main, attack, context, **paths(context))


async def test_a_real_refresh_token_is_not_an_access_token(main, auth) -> None:
    account = await register(auth)
    response = await main.get("/api/v1/users/me", headers=bearer(account["refresh_token"]))
    assert response.status_code == 401


async def test_a_real_service_token_from_the_grant_works_only_internally(platform, auth, main) -> None:
    client_id, secret = platform.service_client
    granted = await auth.post(
        "/api/v1/auth/service-token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    assert granted.status_code == 200, granted.text
    body = granted.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 300
    account = await register(auth)
    user_id = jwt.decode(account["access_token"], options={"verify_signature": False})["sub"]
    internal = await main.get(f"/internal/v1/users/{user_id}/limits", headers=bearer(body["access_token"]))
    assert internal.status_code == 200  # the media client's token opens what it is scoped to...
    accounts = await main.get(f"/internal/v1/users/{user_id}", headers=bearer(body["access_token"]))
    assert accounts.status_code == 403  # ...and nothing else of the directory
    assert (await main.get("/api/v1/users/me", headers=bearer(body["access_token"]))).status_code == 401
