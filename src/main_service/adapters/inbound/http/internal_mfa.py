"""/internal/v1/users/{id}/totp and recovery codes (auth_service only); the admin reset on /api/v1/users."""

from __future__ import annotations

import uuid

from dishka import FromDishka
from litestar import Controller, delete, post, put
from litestar.params import FromPath, JSONBody

from main_service.adapters.inbound.http.dto import AcceptedOut, RecoveryCodeIn, TotpEnableIn, TotpSecretPut, TotpStepIn
from main_service.adapters.inbound.http.internal import for_auth_service
from main_service.services.mfa import MfaService
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.security import Caller, require_permission


class MfaStateController(Controller):
    path = "/internal/v1/users/{user_id:uuid}"
    tags = ["internal"]
    guards = [for_auth_service]

    @put("/totp", status_code=204, summary="Store a pending (encrypted) TOTP secret", responses=problems(404, 409))
    async def set_pending(
        self, user_id: FromPath[uuid.UUID], data: JSONBody[TotpSecretPut], mfa: FromDishka[MfaService]
    ) -> None:
        await mfa.set_pending(user_id, data.secret)

    @post(
        "/totp/enable",
        status_code=204,
        summary="Turn the pending secret on, with its first step and the recovery codes' hashes",
        responses=problems(404, 409),
    )
    async def enable(
        self, user_id: FromPath[uuid.UUID], data: JSONBody[TotpEnableIn], mfa: FromDishka[MfaService]
    ) -> None:
        await mfa.enable(user_id, data.step, list(data.recovery_code_hashes))

    @post(
        "/totp/steps",
        status_code=200,
        summary="Accept a code's time step once (later than the last one), with the login's challenge once",
    )
    async def accept_step(
        self, user_id: FromPath[uuid.UUID], data: JSONBody[TotpStepIn], mfa: FromDishka[MfaService]
    ) -> AcceptedOut:
        challenge = data.challenge.to_domain() if data.challenge else None
        return AcceptedOut.of(await mfa.accept_step(user_id, data.step, challenge))

    @post(
        "/recovery-codes/use",
        status_code=200,
        summary="Spend a recovery code (by its hash) once, with the login's challenge once",
    )
    async def use_recovery_code(
        self, user_id: FromPath[uuid.UUID], data: JSONBody[RecoveryCodeIn], mfa: FromDishka[MfaService]
    ) -> AcceptedOut:
        challenge = data.challenge.to_domain() if data.challenge else None
        return AcceptedOut.of(await mfa.use_recovery_code(user_id, data.code_hash, challenge))

    @delete("/totp", status_code=204, summary="Turn TOTP off: secret and recovery codes gone", responses=problems(409))
    async def disable(self, user_id: FromPath[uuid.UUID], mfa: FromDishka[MfaService]) -> None:
        await mfa.disable(user_id)


class MfaAdminController(Controller):
    path = "/api/v1/users/{user_id:uuid}/mfa"
    tags = ["users"]

    @delete(
        "/",
        status_code=204,
        guards=[require_permission("users:write")],
        summary="Turn a user's two-factor authentication off (a lost device); audited",
        responses=problems(404, 409),
    )
    async def reset_mfa(self, user_id: FromPath[uuid.UUID], principal: Caller, mfa: FromDishka[MfaService]) -> None:
        await mfa.reset_by_admin(principal, user_id)
