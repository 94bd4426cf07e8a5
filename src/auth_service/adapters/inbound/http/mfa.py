"""/api/v1/auth/mfa: TOTP setup, confirmation, the login's second step, and turning it off."""

from __future__ import annotations

import io
from typing import Any

import segno
from dishka import FromDishka
from litestar import Controller, Request, Response, delete, post
from litestar.params import JSONBody

from auth_service.adapters.inbound.http.client import PUBLIC, client_info
from auth_service.adapters.inbound.http.dto import (
    MfaVerifyIn,
    RecoveryCodesOut,
    TokenOut,
    TotpCodeIn,
    TotpDisableIn,
    TotpSetupOut,
)
from auth_service.adapters.outbound.crypto.fernet import MfaSettings
from auth_service.services.mfa import MfaService
from qhitz_shared.errors import InvalidInputError
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.security import Caller, require_login


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as an SVG document (segno, locally: the secret never leaves the service)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=4, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


class MfaController(Controller):
    path = "/api/v1/auth/mfa"
    tags = ["mfa"]

    @post(
        "/totp/setup",
        status_code=200,
        guards=[require_login],
        summary="Start TOTP setup: the secret, its otpauth:// URI and QR code (pending until confirmed)",
        responses=problems(404, 409),
    )
    async def setup(
        self, principal: Caller, mfa: FromDishka[MfaService], settings: FromDishka[MfaSettings]
    ) -> Response[TotpSetupOut]:
        setup = await mfa.setup(principal, settings.issuer)
        body = TotpSetupOut(secret=setup.secret, otpauth_uri=setup.otpauth_uri, qr_svg=qr_svg(setup.otpauth_uri))
        return Response(body, headers={"Cache-Control": "no-store"})

    @post(
        "/totp/confirm",
        status_code=200,
        guards=[require_login],
        summary="Turn TOTP on with a current code; returns ten single-use recovery codes (shown once)",
        responses=problems(404, 409, 429),
    )
    async def confirm(
        self, principal: Caller, data: JSONBody[TotpCodeIn], mfa: FromDishka[MfaService]
    ) -> Response[RecoveryCodesOut]:
        codes = await mfa.confirm(principal, data.code)
        return Response(RecoveryCodesOut(recovery_codes=codes), headers={"Cache-Control": "no-store"})

    @post(
        "/verify",
        status_code=200,
        summary="Complete a login that answered mfa_required: the challenge and a code or a recovery code",
        responses=problems(401, 429),
        **PUBLIC,
    )
    async def verify(
        self, request: Request[Any, Any, Any], data: JSONBody[MfaVerifyIn], mfa: FromDishka[MfaService]
    ) -> Response[TokenOut]:
        if (data.code is None) == (data.recovery_code is None):
            raise InvalidInputError("Give either code or recovery_code", field="code")
        result = await mfa.verify(data.challenge, data.code, data.recovery_code, client_info(request))
        assert result.tokens is not None
        return Response(TokenOut.of(result.tokens), headers={"Cache-Control": "no-store"})

    @delete(
        "/totp",
        status_code=204,
        guards=[require_login],
        summary="Turn TOTP off, with a current code or the password",
        responses=problems(404, 409, 429),
    )
    async def disable(self, principal: Caller, data: JSONBody[TotpDisableIn], mfa: FromDishka[MfaService]) -> None:
        if (data.code is None) == (data.password is None):
            raise InvalidInputError("Give either code or password", field="code")
        await mfa.disable(principal, data.code, data.password)
