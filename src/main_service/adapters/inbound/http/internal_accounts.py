"""/internal/v1 for account recovery (auth_service only): email verification and password reset tokens."""

from __future__ import annotations

from dishka import FromDishka
from litestar import Controller, Response, post
from litestar.params import JSONBody

from main_service.adapters.inbound.http.dto import (
    DirectoryUser,
    EmailIn,
    PasswordResetCompleteIn,
)
from main_service.adapters.inbound.http.internal import for_auth_service
from main_service.domain.accounts import TokenPurpose
from main_service.services.accounts import AccountService
from qhitz_shared.http.inputs import MailedTokenIn


class AccountRecoveryController(Controller):
    path = "/internal/v1"
    tags = ["internal"]
    guards = [for_auth_service]

    @post(
        "/email-verifications/resend",
        status_code=202,
        summary="Record a request for a new verification link (mailed later if an active account has this unverified"
        " address); answered once recorded, alike for every address",
    )
    async def resend_verification(
        self, data: JSONBody[EmailIn], accounts: FromDishka[AccountService]
    ) -> Response[None]:
        await accounts.request_mail(TokenPurpose.VERIFY_EMAIL, data.email)
        return Response(None, status_code=202)

    @post("/email-verifications", status_code=200, summary="Spend a verification token: the address is verified")
    async def verify_email(self, data: JSONBody[MailedTokenIn], accounts: FromDishka[AccountService]) -> DirectoryUser:
        return DirectoryUser.of(await accounts.verify_email(data.token))

    @post(
        "/password-resets",
        status_code=202,
        summary="Record a request for a reset link (mailed later if an active account has this address); answered once"
        " recorded, alike for every address",
    )
    async def request_reset(self, data: JSONBody[EmailIn], accounts: FromDishka[AccountService]) -> Response[None]:
        await accounts.request_mail(TokenPurpose.RESET_PASSWORD, data.email)
        return Response(None, status_code=202)

    @post("/password-resets/target", status_code=200, summary="The account a live reset token belongs to")
    async def reset_target(self, data: JSONBody[MailedTokenIn], accounts: FromDishka[AccountService]) -> DirectoryUser:
        return DirectoryUser.of(await accounts.reset_target(data.token))

    @post(
        "/password-resets/complete",
        status_code=200,
        summary="Spend a reset token: new hash, token_version bumped, every session ended",
    )
    async def complete_reset(
        self, data: JSONBody[PasswordResetCompleteIn], accounts: FromDishka[AccountService]
    ) -> DirectoryUser:
        return DirectoryUser.of(await accounts.complete_password_reset(data.token, data.password_hash))
