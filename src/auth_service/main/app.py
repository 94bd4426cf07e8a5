"""Composition root: auth_service is its controllers, its providers and its start-up warm-ups."""

from __future__ import annotations

from dishka import Provider

from auth_service.adapters.inbound.http.api_keys import ApiKeysController
from auth_service.adapters.inbound.http.auth import AuthController
from auth_service.adapters.inbound.http.mfa import MfaController
from auth_service.adapters.inbound.http.recovery import RecoveryController
from auth_service.adapters.inbound.http.services import JwksController, ServiceTokenController
from auth_service.adapters.inbound.http.sessions import SessionsController
from auth_service.domain.errors import UnsupportedGrantType
from auth_service.main.providers import AuthProvider, AuthTokenCheck
from auth_service.main.settings import AuthServiceSettings
from auth_service.ports.mfa import SecretBox
from auth_service.services.tokens import KeyRing
from qhitz_shared.providers import PasswordProvider, RateStorageProvider
from qhitz_shared.revocation.wiring import RevocationSubscriberProvider
from qhitz_shared.service import ServiceSpec

CONTROLLERS = [
    AuthController,
    RecoveryController,
    MfaController,
    ApiKeysController,
    SessionsController,
    ServiceTokenController,
    JwksController,
]


def providers(settings: AuthServiceSettings) -> list[Provider]:
    return [
        PasswordProvider(),
        RateStorageProvider(),
        AuthProvider(),
        RevocationSubscriberProvider(wait_for_url=settings.jwt.jwks_url),
    ]


SERVICE = ServiceSpec(
    AuthServiceSettings,
    CONTROLLERS,
    providers,
    description="Registration, login, EdDSA access and refresh tokens, sessions, service tokens, public keys.",
    error_statuses={UnsupportedGrantType: 400},
    principal_check=AuthTokenCheck,
    warm_up=[KeyRing, SecretBox],  # a missing, unreadable or weak key fails the start, not the first request
    verify_with_jwks=False,  # the issuer verifies with its own keys (AuthProvider)
)
make_container = SERVICE.make_container
create_http_app = SERVICE.create_http_app
