"""Every forged or misused token is refused by the shared verification in main_service (401, or 403 for a user
token on an internal endpoint)."""

from __future__ import annotations

import pytest

from tests.support.attacks import ATTACKS, Attack, AttackContext, assert_baseline, assert_refused

USER_PATH = "/api/v1/users/me"


@pytest.fixture
async def context(make_account, signing_key, jwt_settings) -> AttackContext:
    account = await make_account("user")
    return AttackContext(
        key=signing_key,
        settings=jwt_settings,
        user_id=str(account.id),
        roles=account.roles,
        perms=account.permissions,
        ver=account.token_version,
    )


async def test_untampered_tokens_are_accepted(client, context) -> None:
    await assert_baseline(client, context, user_path=USER_PATH, internal_path=f"/internal/v1/users/{context.user_id}")


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda attack: attack.name)
async def test_attack_is_refused(client, context, attack: Attack) -> None:
    await assert_refused(
        client, attack, context, user_path=USER_PATH, internal_path=f"/internal/v1/users/{context.user_id}"
    )
