"""HttpxMfaStore: the MfaStore port over main_service's /internal/v1."""

from __future__ import annotations

import uuid

import msgspec

from auth_service.adapters.outbound.main_api.client import MainApiClient


class Accepted(msgspec.Struct):
    accepted: bool


class HttpxMfaStore:
    def __init__(self, api: MainApiClient) -> None:
        self._api = api

    async def set_pending(self, user_id: uuid.UUID, encrypted_secret: str) -> None:
        await self._api.send("PUT", f"/internal/v1/users/{user_id}/totp", json={"secret": encrypted_secret})

    async def enable(self, user_id: uuid.UUID, step: int, recovery_code_hashes: list[str]) -> None:
        body = {"step": step, "recovery_code_hashes": recovery_code_hashes}
        await self._api.send("POST", f"/internal/v1/users/{user_id}/totp/enable", json=body)

    async def accept_step(self, user_id: uuid.UUID, step: int) -> bool:
        answer = await self._api.call("POST", f"/internal/v1/users/{user_id}/totp/steps", Accepted, json={"step": step})
        return answer.accepted

    async def use_recovery_code(self, user_id: uuid.UUID, code_hash: str) -> bool:
        answer = await self._api.call(
            "POST", f"/internal/v1/users/{user_id}/recovery-codes/use", Accepted, json={"code_hash": code_hash}
        )
        return answer.accepted

    async def disable(self, user_id: uuid.UUID) -> None:
        await self._api.send("DELETE", f"/internal/v1/users/{user_id}/totp")
