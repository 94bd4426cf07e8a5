"""/internal/v1 API keys (auth_service only): store, list, revoke, and resolve by hash for an exchange."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from dishka import FromDishka
from litestar import Controller, Response, delete, get, post
from litestar.params import FromPath, JSONBody

from main_service.adapters.inbound.http.dto import (
    ApiKeyCreateIn,
    ApiKeyDoc,
    ApiKeyHashIn,
    DirectoryUser,
    ResolvedApiKey,
)
from main_service.adapters.inbound.http.internal import for_auth_service
from main_service.domain.api_keys import ApiKey
from main_service.services.api_keys import ApiKeyService
from main_service.services.directory import DirectoryService
from qhitz_shared.http.openapi import problems
from qhitz_shared.ids import new_id


class ApiKeysController(Controller):
    path = "/internal/v1"
    tags = ["internal"]
    guards = [for_auth_service]

    @post(
        "/users/{user_id:uuid}/api-keys",
        status_code=201,
        summary="Store a new API key (its hash only)",
        responses=problems(404, 409),
    )
    async def create_key(
        self, user_id: FromPath[uuid.UUID], data: JSONBody[ApiKeyCreateIn], keys: FromDishka[ApiKeyService]
    ) -> Response[ApiKeyDoc]:
        key = ApiKey(
            id=new_id(),
            user_id=user_id,
            name=data.name,
            prefix=data.prefix,
            scopes=sorted(set(data.scopes)),
            created_at=datetime.now(UTC),
            expires_at=data.expires_at,
        )
        return Response(ApiKeyDoc.of(await keys.create(key, data.key_hash)), status_code=201)

    @get("/users/{user_id:uuid}/api-keys", summary="The user's live API keys, newest first")
    async def list_keys(self, user_id: FromPath[uuid.UUID], keys: FromDishka[ApiKeyService]) -> list[ApiKeyDoc]:
        return [ApiKeyDoc.of(key) for key in await keys.list(user_id)]

    @delete(
        "/users/{user_id:uuid}/api-keys/{key_id:uuid}",
        status_code=204,
        summary="Revoke an API key (a revocation event, like an ended session)",
        responses=problems(404),
    )
    async def revoke_key(
        self, user_id: FromPath[uuid.UUID], key_id: FromPath[uuid.UUID], keys: FromDishka[ApiKeyService]
    ) -> None:
        await keys.revoke(user_id, key_id)

    @post(
        "/api-keys/resolve",
        status_code=200,
        summary="The live key with this hash and its owner (records the use)",
        responses=problems(404),
    )
    async def resolve_key(
        self,
        data: JSONBody[ApiKeyHashIn],
        keys: FromDishka[ApiKeyService],
        directory: FromDishka[DirectoryService],
    ) -> ResolvedApiKey:
        key, user = await keys.resolve(data.key_hash)
        owner = DirectoryUser.of(user, must_verify_email=await directory.must_verify_email(user))
        return ResolvedApiKey(key=ApiKeyDoc.of(key), user=owner)
