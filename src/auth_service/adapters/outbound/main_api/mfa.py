"""HttpxMfaStore: the MfaStore port over main_service's /internal/v1."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec

from auth_service.adapters.outbound.main_api.client import MainApiClient
from auth_service.domain.errors import InvalidMfaChallenge
from auth_service.domain.mfa import LoginChallenge


class Accepted(msgspec.Struct):
    accepted: bool
    challenge_used: bool = False


def spent(answer: Accepted) -> bool:
    if answer.challenge_used:
        raise InvalidMfaChallenge("This challenge completed a login already: log in again")
    return answer.accepted


def with_challenge(body: dict[str, Any], challenge: LoginChallenge | None) -> dict[str, Any]:
    if challenge is not None:
        body["challenge"] = {"jti": challenge.jti, "expires_at": challenge.expires_at.isoformat()}
    return body


class HttpxMfaStore:
    def __init__(self, api: MainApiClient) -> None:
        self._api = api

    async def set_pending(self, user_id: uuid.UUID, encrypted_secret: str) -> None:
        await self._api.send("PUT", f"/internal/v1/users/{user_id}/totp", json={"secret": encrypted_secret})

    async def enable(self, user_id: uuid.UUID, step: int, recovery_code_hashes: list[str]) -> None:
        body = {"step": step, "recovery_code_hashes": recovery_code_hashes}
        await self._api.send("POST", f"/internal/v1/users/{user_id}/totp/enable", json=body)

    async def accept_step(self, user_id: uuid.UUID, step: int, challenge: LoginChallenge | None = None) -> bool:
        body = with_challenge({"step": step}, challenge)
        return spent(await self._api.call("POST", f"/internal/v1/users/{user_id}/totp/steps", Accepted, json=body))

    async def use_recovery_code(
        self, user_id: uuid.UUID, code_hash: str, challenge: LoginChallenge | None = None
    ) -> bool:
        body = with_challenge({"code_hash": code_hash}, challenge)
        path = f"/internal/v1/users/{user_id}/recovery-codes/use"
        return spent(await self._api.call("POST", path, Accepted, json=body))

    async def disable(self, user_id: uuid.UUID) -> None:
        await self._api.send("DELETE", f"/internal/v1/users/{user_id}/totp")
