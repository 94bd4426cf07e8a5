"""Composition root: create_http_app() builds main_service from settings (and test overrides)."""

from __future__ import annotations

from collections.abc import Sequence

from dishka import Provider, make_async_container
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar

from main_service.adapters.inbound.http.features import AdminController, FeaturesController
from main_service.adapters.inbound.http.internal import DirectoryController, LimitsController
from main_service.adapters.inbound.http.revocations import RevocationsController
from main_service.adapters.inbound.http.roles import PermissionsController, RolesController, UserRolesController
from main_service.adapters.inbound.http.sessions import SessionsController, UserSessionsController
from main_service.adapters.inbound.http.users import ProfileController, UsersController
from main_service.adapters.outbound.growthbook.flags import GrowthBookSettings
from main_service.main.providers import MainProvider
from main_service.main.revocation import EventFedTokenCheck, MainRevocationProvider
from main_service.main.settings import MainSettings
from main_service.ports.flags import FeatureFlags
from qhitz_shared.db import DatabaseProvider, DatabaseSettings
from qhitz_shared.http.app import build_http_app
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.passwords import Argon2Settings
from qhitz_shared.providers import JwksVerificationProvider
from qhitz_shared.revocation.feed import RevocationFeed
from qhitz_shared.revocation.settings import RevocationSettings
from qhitz_shared.settings import AppSettings, HttpSettings

CONTROLLERS = [
    ProfileController,
    UsersController,
    RolesController,
    UserRolesController,
    PermissionsController,
    FeaturesController,
    AdminController,
    DirectoryController,
    LimitsController,
    RevocationsController,
    SessionsController,
    UserSessionsController,
]


def make_container(settings: MainSettings, *overrides: Provider):
    return make_async_container(
        DatabaseProvider(),
        JwksVerificationProvider(),
        MainProvider(),
        MainRevocationProvider(),
        LitestarProvider(),
        *overrides,
        context={
            AppSettings: settings.app,
            HttpSettings: settings.http,
            DatabaseSettings: settings.db,
            JwtSettings: settings.jwt,
            GrowthBookSettings: settings.growthbook,
            Argon2Settings: settings.argon2,
            RevocationSettings: settings.revocation,
        },
    )


def create_http_app(settings: MainSettings | None = None, overrides: Sequence[Provider] = ()) -> Litestar:
    settings = settings or MainSettings.from_env()
    container = make_container(settings, *overrides)

    async def load_flags() -> None:
        await container.get(FeatureFlags)  # a broken payload fails the start, not the first request

    async def load_revocations() -> None:
        await container.get(RevocationFeed)  # the deny state is loaded before the first request

    return build_http_app(
        service="main_service",
        title="Qhitz main_service",
        description="Users, roles, permissions and feature flags; the internal user directory.",
        container=container,
        route_handlers=CONTROLLERS,
        http=settings.http,
        jwt=settings.jwt,
        principal_check=EventFedTokenCheck,
        on_startup=[load_flags, load_revocations],
    )
