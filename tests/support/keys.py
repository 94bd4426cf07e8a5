"""A real JWKS endpoint on loopback and token minting through the shared signer (the code auth_service uses)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from dishka import Provider, Scope

from qhitz_shared.http.security import JwtSettings
from qhitz_shared.tokens import SigningKey, TokenSigner, jwks_document


@dataclass
class StaticHttpServer:
    """Serves JSON documents by path and counts requests; documents can be swapped while running."""

    documents: dict[str, Any]
    hits: dict[str, int] = field(default_factory=dict)
    url: str = ""

    @contextmanager
    def running(self) -> Iterator[StaticHttpServer]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.hits[self.path] = owner.hits.get(self.path, 0) + 1
                document = owner.documents.get(self.path)
                body = json.dumps(document).encode() if document is not None else b"{}"
                self.send_response(200 if document is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()


JWKS_PATH = "/.well-known/jwks.json"


@dataclass
class TokenFactory:
    key: SigningKey
    settings: JwtSettings

    @property
    def signer(self) -> TokenSigner:
        return TokenSigner(self.key, self.settings.issuer)

    def user(
        self,
        user_id: uuid.UUID | str,
        *,
        roles: list[str] | None = None,
        perms: list[str] | None = None,
        ver: int = 0,
        ttl: int = 900,
        **claims: Any,
    ) -> str:
        return self.signer.sign(
            subject=str(user_id),
            audience=claims.pop("audience", self.settings.audience),
            ttl_seconds=ttl,
            roles=roles or [],
            perms=perms or [],
            ver=ver,
            typ="access",
            **claims,
        )

    def service(self, name: str = "auth_service", *, ttl: int = 300, **claims: Any) -> str:
        return self.signer.sign(
            subject=f"service:{name}",
            audience=claims.pop("audience", self.settings.internal_audience),
            ttl_seconds=ttl,
            svc=name,
            typ="access",
            **claims,
        )


def jwks_server_documents(*keys: SigningKey) -> dict[str, Any]:
    return {JWKS_PATH: jwks_document(keys)}


class SignedServiceTokens:
    """A service's token source (``token()``/``forget()``) that signs with the test key through the shared
    TokenSigner, as auth_service would: it replaces only the HTTP fetch. ``forgotten`` counts forget() calls."""

    def __init__(self, signer: TokenSigner, audience: str, name: str = "medias_service") -> None:
        self._signer = signer
        self._audience = audience
        self._name = name
        self.forgotten = 0

    async def token(self) -> str:
        return self._signer.sign(
            subject=f"service:{self._name}", audience=self._audience, ttl_seconds=300, svc=self._name
        )

    def forget(self) -> None:
        self.forgotten += 1


class TokenSourceProvider(Provider):
    """A test override: ``source`` as the app's ``provides`` (its token-source port)."""

    def __init__(self, source: object, provides: type) -> None:
        super().__init__(scope=Scope.APP)
        self.provide(lambda: source, provides=provides)
