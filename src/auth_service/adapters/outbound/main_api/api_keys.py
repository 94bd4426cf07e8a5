"""HttpxApiKeyStore: the ApiKeyStore port over main_service's /internal/v1."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from auth_service.adapters.outbound.main_api.client import MainApiClient
from auth_service.adapters.outbound.main_api.directory import DirectoryUser, catch_up
from auth_service.domain.accounts import Account
from auth_service.domain.api_keys import ApiKeyView
from qhitz_shared.revocation.feed import RevocationFeed


class ApiKeyDoc(msgspec.Struct):
    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None = None
    last_used_at: datetime | None = None

    def view(self) -> ApiKeyView:
        return ApiKeyView(
            id=self.id,
            name=self.name,
            prefix=self.prefix,
            scopes=self.scopes,
            created_at=self.created_at,
            expires_at=self.expires_at,
            last_used_at=self.last_used_at,
        )


class Resolved(msgspec.Struct):
    key: ApiKeyDoc
    user: DirectoryUser


class HttpxApiKeyStore:
    def __init__(self, api: MainApiClient, revocations: RevocationFeed | None = None) -> None:
        self._api = api
        self._revocations = revocations

    async def create(
        self,
        user_id: uuid.UUID,
        *,
        name: str,
        prefix: str,
        key_hash: str,
        scopes: list[str],
        expires_at: datetime | None,
    ) -> ApiKeyView:
        body = {
            "name": name,
            "prefix": prefix,
            "key_hash": key_hash,
            "scopes": scopes,
            "expires_at": expires_at.isoformat() if expires_at else None,
        }
        doc = await self._api.call("POST", f"/internal/v1/users/{user_id}/api-keys", ApiKeyDoc, json=body)
        return doc.view()

    async def list(self, user_id: uuid.UUID) -> list[ApiKeyView]:
        docs = await self._api.call("GET", f"/internal/v1/users/{user_id}/api-keys", list[ApiKeyDoc])
        return [doc.view() for doc in docs]

    async def revoke(self, user_id: uuid.UUID, key_id: uuid.UUID) -> None:
        await self._api.send("DELETE", f"/internal/v1/users/{user_id}/api-keys/{key_id}")
        await catch_up(self._revocations)

    async def resolve(self, key_hash: str) -> tuple[ApiKeyView, Account] | None:
        found = await self._api.find(
            "POST", "/internal/v1/api-keys/resolve", Resolved, json={"key_hash": key_hash}, absent="api_key_not_found"
        )
        return (found.key.view(), found.user.account()) if found else None
