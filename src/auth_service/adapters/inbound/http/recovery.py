"""/api/v1/auth: email verification and password reset (the links in the mails lead to pages that post here)."""

from __future__ import annotations

from typing import Any

from dishka import FromDishka
from litestar import Controller, Request, Response, post
from litestar.params import JSONBody

from auth_service.adapters.inbound.http.client import PUBLIC, client_info
from auth_service.adapters.inbound.http.dto import (
    AcceptedOut,
    EmailIn,
    EmailVerifiedOut,
    PasswordResetConfirmIn,
)
from auth_service.services.recovery import RecoveryService
from qhitz_shared.http.inputs import MailedTokenIn
from qhitz_shared.http.openapi import problems

RESET_ACCEPTED = AcceptedOut(detail="If an account has this address, a link to reset its password is on its way")
RESEND_ACCEPTED = AcceptedOut(detail="If an unverified account has this address, a new link is on its way")


class RecoveryController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post(
        "/verify-email",
        status_code=200,
        summary="Verify the email address with the token of the mailed link",
        responses=problems(429),
        **PUBLIC,
    )
    async def verify_email(
        self, request: Request[Any, Any, Any], data: JSONBody[MailedTokenIn], recovery: FromDishka[RecoveryService]
    ) -> EmailVerifiedOut:
        account = await recovery.verify_email(data.token, client_info(request))
        return EmailVerifiedOut(email=account.email, email_verified=account.email_verified)

    @post(
        "/resend-verification",
        status_code=202,
        summary="Mail a new verification link (answered once recorded: the same answer for every address)",
        responses=problems(429),
        **PUBLIC,
    )
    async def resend_verification(
        self, request: Request[Any, Any, Any], data: JSONBody[EmailIn], recovery: FromDishka[RecoveryService]
    ) -> Response[AcceptedOut]:
        await recovery.resend_verification(data.email, client_info(request))
        return Response(RESEND_ACCEPTED, status_code=202)

    @post(
        "/password-reset",
        status_code=202,
        summary="Mail a password reset link (answered once recorded: alike, in the same time, for every address)",
        responses=problems(429),
        **PUBLIC,
    )
    async def password_reset(
        self, request: Request[Any, Any, Any], data: JSONBody[EmailIn], recovery: FromDishka[RecoveryService]
    ) -> Response[AcceptedOut]:
        await recovery.request_password_reset(data.email, client_info(request))
        return Response(RESET_ACCEPTED, status_code=202)

    @post(
        "/password-reset/confirm",
        status_code=204,
        summary="Set a new password with the mailed token; ends every session",
        responses=problems(429),
        **PUBLIC,
    )
    async def confirm_password_reset(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[PasswordResetConfirmIn],
        recovery: FromDishka[RecoveryService],
    ) -> None:
        await recovery.confirm_password_reset(data.token, data.new_password, client_info(request))
