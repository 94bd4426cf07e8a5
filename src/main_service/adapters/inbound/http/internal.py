"""/internal/v1: the user directory for other services. Service tokens only; a user token gets 403."""

from __future__ import annotations

import uuid
from typing import Annotated

from dishka import FromDishka
from litestar import Controller, Response, get, post, put
from litestar.params import FromPath, JSONBody

from main_service.adapters.inbound.http.dto import DirectoryUser, DirectoryUserCreate, LimitsOut, PasswordHashPut
from main_service.domain.users import MAX_EMAIL
from main_service.services.directory import DirectoryService
from qhitz_shared.http.inputs import text_param
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.security import require_service_named

# Service identities (the svc claim: the client id at auth_service). Only auth_service manages accounts and
# sessions; medias_service reads owners' limits. Any other service token gets 403.
AUTH_SERVICE = "auth_service"
MEDIAS_SERVICE = "medias_service"
for_auth_service = require_service_named(AUTH_SERVICE)


class DirectoryController(Controller):
    path = "/internal/v1/users"
    tags = ["internal"]
    guards = [for_auth_service]

    @get("/lookup", summary="Find a user by email or username", responses=problems(404))
    async def lookup(
        self, login: Annotated[str, text_param(MAX_EMAIL, min_length=1)], directory: FromDishka[DirectoryService]
    ) -> DirectoryUser:
        user = await directory.lookup(login)
        return DirectoryUser.of(user, must_verify_email=await directory.must_verify_email(user))

    @get("/{user_id:uuid}", summary="A user by id")
    async def get_user(self, user_id: FromPath[uuid.UUID], directory: FromDishka[DirectoryService]) -> DirectoryUser:
        user = await directory.get(user_id)
        return DirectoryUser.of(user, must_verify_email=await directory.must_verify_email(user))

    @post(
        "/",
        summary="Create a user (403 when registration is off, 409 on a taken email or username)",
        responses=problems(409),
    )
    async def create_user(
        self, data: JSONBody[DirectoryUserCreate], directory: FromDishka[DirectoryService]
    ) -> Response[DirectoryUser]:
        user = await directory.register(
            email=data.email,
            username=data.username,
            password_hash=data.password_hash,
            first_name=data.first_name,
            last_name=data.last_name,
        )
        body = DirectoryUser.of(user, must_verify_email=await directory.must_verify_email(user))
        return Response(body, status_code=201, headers={"Location": f"{self.path}/{user.id}"})

    @put("/{user_id:uuid}/password", summary="Store a new password hash (revokes tokens by default)")
    async def set_password(
        self, user_id: FromPath[uuid.UUID], data: JSONBody[PasswordHashPut], directory: FromDishka[DirectoryService]
    ) -> DirectoryUser:
        return DirectoryUser.of(
            await directory.set_password_hash(user_id, data.password_hash, revoke_tokens=data.revoke_tokens)
        )

    @post("/{user_id:uuid}/revoke-tokens", status_code=200, summary="Bump token_version (logout everywhere)")
    async def revoke_tokens(
        self, user_id: FromPath[uuid.UUID], directory: FromDishka[DirectoryService]
    ) -> DirectoryUser:
        return DirectoryUser.of(await directory.revoke_tokens(user_id))

    @post("/{user_id:uuid}/logins", status_code=204, summary="Record a successful login")
    async def record_login(self, user_id: FromPath[uuid.UUID], directory: FromDishka[DirectoryService]) -> None:
        await directory.record_login(user_id)


class LimitsController(Controller):
    path = "/internal/v1/users/{user_id:uuid}/limits"
    tags = ["internal"]
    guards = [require_service_named(AUTH_SERVICE, MEDIAS_SERVICE)]

    @get("/", summary="Upload size and storage quota for medias_service")
    async def limits(self, user_id: FromPath[uuid.UUID], directory: FromDishka[DirectoryService]) -> LimitsOut:
        limits = await directory.limits(user_id)
        return LimitsOut(
            user_id=user_id,
            max_upload_bytes=limits.max_upload_bytes,
            storage_quota_bytes=limits.storage_quota_bytes,
            must_verify_email=limits.must_verify_email,
        )
