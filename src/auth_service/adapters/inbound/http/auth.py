"""/api/v1/auth: register, login (JSON and the OAuth2 password form), refresh, logout, password, verify."""

from __future__ import annotations

from typing import Any

from dishka import FromDishka
from litestar import Controller, Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.params import JSONBody, URLEncodedBody

from auth_service.adapters.inbound.http.client import PUBLIC, bearer_token, client_info
from auth_service.adapters.inbound.http.dto import (
    ChangePasswordIn,
    LoginIn,
    MfaRequiredOut,
    OAuth2PasswordForm,
    RefreshIn,
    RegisterIn,
    TokenOut,
    VerifyOut,
)
from auth_service.domain.accounts import Registration
from auth_service.domain.errors import MfaRequired
from auth_service.services.introspection import IntrospectionService
from auth_service.services.login import LoginResult, LoginService
from auth_service.services.passwords import PasswordService
from auth_service.services.sessions import SessionService
from qhitz_shared.errors import InvalidInputError
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.security import Caller, require_login, require_user


def logged_in(logins: LoginService, result: LoginResult) -> Response[TokenOut | MfaRequiredOut]:
    """The tokens (the last-login time is written after the answer has gone out, off the login's latency), or
    for an account with two-factor authentication the challenge of the second step."""
    if result.challenge is not None:
        challenge = MfaRequiredOut(
            mfa_required=True,
            challenge=result.challenge.token,
            expires_in=result.challenge.expires_in,
            methods=["totp", "recovery_code"],
        )
        return Response(challenge, headers={"Cache-Control": "no-store"})
    assert result.tokens is not None
    assert result.session_id is not None
    return Response(
        TokenOut.of(result.tokens),
        headers={"Cache-Control": "no-store"},
        background=BackgroundTask(logins.record_login, result.session_id),
    )


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post(
        "/register",
        status_code=201,
        summary="Create an account and log it in",
        responses=problems(403, 409, 429),
        **PUBLIC,
    )
    async def register(
        self, request: Request[Any, Any, Any], data: JSONBody[RegisterIn], logins: FromDishka[LoginService]
    ) -> TokenOut:
        registration = Registration(
            email=data.email,
            username=data.username,
            password=data.password,
            first_name=data.first_name,
            last_name=data.last_name,
        )
        return TokenOut.of(await logins.register(registration, client_info(request)))

    @post(
        "/login",
        status_code=200,
        summary="Log in with email or username and password (mfa_required and a challenge with TOTP on)",
        responses=problems(401, 403, 429),
        **PUBLIC,
    )
    async def login(
        self, request: Request[Any, Any, Any], data: JSONBody[LoginIn], logins: FromDishka[LoginService]
    ) -> Response[TokenOut | MfaRequiredOut]:
        login = data.email or data.username
        if not login:
            raise InvalidInputError("Give the account's email or username", field="email")
        return logged_in(logins, await logins.login(login, data.password, client_info(request)))

    @post(
        "/token",
        status_code=200,
        summary="OAuth2 password grant (the OpenAPI Authorize button)",
        responses=problems(401, 403, 429),
        **PUBLIC,
    )
    async def token(
        self,
        request: Request[Any, Any, Any],
        data: URLEncodedBody[OAuth2PasswordForm],
        logins: FromDishka[LoginService],
    ) -> Response[TokenOut]:
        if data.grant_type not in (None, "", "password"):
            raise InvalidInputError("Only grant_type=password is supported here", field="grant_type")
        result = await logins.login(data.username, data.password, client_info(request))
        if result.challenge is not None:  # the password grant has no second step
            raise MfaRequired("This account uses two-factor authentication: log in at POST /api/v1/auth/login")
        return logged_in(logins, result)

    @post(
        "/refresh",
        status_code=200,
        summary="Exchange a refresh token for a new pair (rotation)",
        responses=problems(401, 429),
        **PUBLIC,
    )
    async def refresh(
        self, request: Request[Any, Any, Any], data: JSONBody[RefreshIn], sessions: FromDishka[SessionService]
    ) -> TokenOut:
        return TokenOut.of(await sessions.refresh(data.refresh_token, client_info(request)))

    @post("/logout", status_code=204, guards=[require_user], summary="End the current session")
    async def logout(self, principal: Caller, sessions: FromDishka[SessionService]) -> None:
        await sessions.logout(principal)

    @post("/logout-all", status_code=204, guards=[require_login], summary="Revoke every token and session")
    async def logout_all(self, principal: Caller, sessions: FromDishka[SessionService]) -> None:
        await sessions.logout_everywhere(principal)

    @post(
        "/change-password",
        status_code=200,
        guards=[require_login],
        summary="Change the password; ends every other session and returns a fresh pair",
        responses=problems(404, 429),
    )
    async def change_password(
        self,
        request: Request[Any, Any, Any],
        principal: Caller,
        data: JSONBody[ChangePasswordIn],
        passwords: FromDishka[PasswordService],
    ) -> TokenOut:
        pair = await passwords.change(principal, data.current_password, data.new_password, client_info(request))
        return TokenOut.of(pair)

    @get("/verify", summary="Introspect the bearer token: valid or not, and its claims", **PUBLIC)
    async def verify(
        self, request: Request[Any, Any, Any], introspection: FromDishka[IntrospectionService]
    ) -> Response[VerifyOut]:
        result = await introspection.inspect(bearer_token(request))
        body = VerifyOut(valid=result.valid, claims=result.claims, reason=result.reason)
        return Response(body, headers={"Cache-Control": "no-store"})
