"""/api/v1/auth/api-keys: personal access tokens (create, list, revoke) and their exchange for access tokens."""

from __future__ import annotations

import uuid
from typing import Any

from dishka import FromDishka
from litestar import Controller, Request, Response, delete, get, post
from litestar.params import FromPath, JSONBody

from auth_service.adapters.inbound.http.client import PUBLIC, calling_service, client_info
from auth_service.adapters.inbound.http.dto import (
    ApiKeyCreatedOut,
    ApiKeyExchangeIn,
    ApiKeyIn,
    ApiKeyOut,
    ApiKeyTokenOut,
)
from auth_service.services.api_keys import ApiKeyService
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.security import Caller, JwtSettings, require_login
from qhitz_shared.tokens import TokenVerifier


class ApiKeysController(Controller):
    path = "/api/v1/auth/api-keys"
    tags = ["api-keys"]

    @post(
        "/",
        status_code=201,
        guards=[require_login],
        summary="Create an API key with some of the caller's permissions as scopes; the key is shown once",
        responses=problems(403, 404, 409),
    )
    async def create_key(
        self, principal: Caller, data: JSONBody[ApiKeyIn], keys: FromDishka[ApiKeyService]
    ) -> Response[ApiKeyCreatedOut]:
        key, view = await keys.create(principal, data.name, list(data.scopes), data.expires_at)
        shown = ApiKeyOut.of(view)
        body = ApiKeyCreatedOut(**{name: getattr(shown, name) for name in ApiKeyOut.__struct_fields__}, key=key)
        return Response(body, status_code=201, headers={"Cache-Control": "no-store"})

    @get(
        "/",
        guards=[require_login],
        summary="The caller's live API keys (prefix, name, scopes, last use, expiry)",
        responses=problems(403),
    )
    async def list_keys(self, principal: Caller, keys: FromDishka[ApiKeyService]) -> list[ApiKeyOut]:
        return [ApiKeyOut.of(view) for view in await keys.list(principal)]

    @delete(
        "/{key_id:uuid}",
        status_code=204,
        guards=[require_login],
        summary="Revoke an API key: its tokens are refused everywhere from the revocation event on",
        responses=problems(403, 404),
    )
    async def revoke_key(self, key_id: FromPath[uuid.UUID], principal: Caller, keys: FromDishka[ApiKeyService]) -> None:
        await keys.revoke(principal, key_id)

    @post(
        "/exchange",
        status_code=200,
        summary="Exchange an API key for a short-lived access token with its scopes (what every service does)",
        description=(
            "Limited per client address. A service exchanging a key for its own client sends its service token "
            "as Authorization: Bearer and the client's address as client_ip, which is then the address counted; "
            "client_ip from a caller without a valid service token is ignored."
        ),
        responses=problems(401, 403, 429),
        **{**PUBLIC, "security": [{"BearerToken": []}, {}]},
    )
    async def exchange(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[ApiKeyExchangeIn],
        keys: FromDishka[ApiKeyService],
        verifier: FromDishka[TokenVerifier],
        jwt: FromDishka[JwtSettings],
    ) -> Response[ApiKeyTokenOut]:
        service = await calling_service(request, verifier, jwt) if data.client_ip is not None else None
        token, ttl = await keys.exchange(
            data.api_key, client_info(request), service=service, end_client_ip=data.client_ip
        )
        return Response(ApiKeyTokenOut(access_token=token, expires_in=ttl), headers={"Cache-Control": "no-store"})
