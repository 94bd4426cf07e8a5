"""/api/v1/auth/service-token (client credentials) and /.well-known/jwks.json (public keys)."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import unquote

from dishka import FromDishka
from litestar import Controller, Request, Response, get, post
from litestar.params import URLEncodedBody

from auth_service.adapters.inbound.http.client import PUBLIC
from auth_service.adapters.inbound.http.dto import ClientCredentialsForm, ServiceTokenOut
from auth_service.services.service_clients import ServiceTokenService
from auth_service.services.tokens import KeyRing
from qhitz_shared.http.openapi import NEEDS_NO_DEPENDENCY, problems


def basic_credentials(request: Request[Any, Any, Any]) -> tuple[str, str] | None:
    """RFC 6749 2.3.1: HTTP Basic with form-urlencoded id and secret."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        client_id, _, secret = base64.b64decode(value.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return unquote(client_id), unquote(secret)


class ServiceTokenController(Controller):
    path = "/api/v1/auth"
    tags = ["services"]

    @post(
        "/service-token",
        status_code=200,
        summary="OAuth2 client-credentials grant for services",
        responses=problems(401),
        **PUBLIC,
    )
    async def service_token(
        self,
        request: Request[Any, Any, Any],
        data: URLEncodedBody[ClientCredentialsForm],
        clients: FromDishka[ServiceTokenService],
    ) -> Response[ServiceTokenOut]:
        client_id, secret = basic_credentials(request) or (data.client_id, data.client_secret)
        token, expires_in = clients.issue(data.grant_type, client_id, secret)
        return Response(
            ServiceTokenOut(access_token=token, expires_in=expires_in),
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )


class JwksController(Controller):
    path = "/.well-known"
    tags = ["keys"]

    @get(
        "/jwks.json",
        summary="The public keys every service verifies tokens with",
        opt={NEEDS_NO_DEPENDENCY: True},
        **PUBLIC,
    )
    async def jwks(self, keys: FromDishka[KeyRing]) -> Response[dict[str, Any]]:
        return Response(keys.jwks(), headers={"Cache-Control": "public, max-age=300"})
