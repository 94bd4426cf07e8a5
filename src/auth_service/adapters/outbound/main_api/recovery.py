"""HttpxAccountRecovery: the AccountRecovery port over main_service's /internal/v1."""

from __future__ import annotations

from auth_service.adapters.outbound.main_api.client import MainApiClient
from auth_service.adapters.outbound.main_api.directory import DirectoryUser, catch_up
from auth_service.domain.accounts import Account
from qhitz_shared.revocation.feed import RevocationFeed


class HttpxAccountRecovery:
    def __init__(self, api: MainApiClient, revocations: RevocationFeed | None = None) -> None:
        self._api = api
        self._revocations = revocations

    async def resend_verification(self, email: str) -> None:
        await self._api.send("POST", "/internal/v1/email-verifications/resend", json={"email": email})

    async def verify_email(self, token: str) -> Account:
        user = await self._api.call("POST", "/internal/v1/email-verifications", DirectoryUser, json={"token": token})
        return user.account()

    async def request_password_reset(self, email: str) -> None:
        await self._api.send("POST", "/internal/v1/password-resets", json={"email": email})

    async def reset_target(self, token: str) -> Account:
        user = await self._api.call("POST", "/internal/v1/password-resets/target", DirectoryUser, json={"token": token})
        return user.account()

    async def complete_password_reset(self, token: str, password_hash: str) -> Account:
        user = await self._api.call(
            "POST",
            "/internal/v1/password-resets/complete",
            DirectoryUser,
            json={"token": token, "password_hash": password_hash},
        )
        await catch_up(self._revocations)  # the old tokens are refused here on the very next request
        return user.account()
