"""dishka providers: APP-scoped infrastructure, REQUEST-scoped repositories and use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import Provider, Scope, alias, provide

from main_service.adapters.outbound.growthbook.flags import GrowthBookFeatureFlags, GrowthBookSettings
from main_service.adapters.outbound.persistence.roles import SqlaRoleRepository
from main_service.adapters.outbound.persistence.sessions import SqlaSessionRepository
from main_service.adapters.outbound.persistence.users import SqlaUserRepository
from main_service.adapters.outbound.persistence.views import SqlaUserViews
from main_service.ports.directory import RoleRepository, UserRepository
from main_service.ports.flags import FeatureFlags
from main_service.ports.security import PasswordHasher
from main_service.ports.sessions import SessionRepository
from main_service.services.bootstrap import AdminBootstrap
from main_service.services.directory import DirectoryService
from main_service.services.features import FeatureService
from main_service.services.roles import RoleService
from main_service.services.sessions import SessionService
from main_service.services.stats import StatsService
from main_service.services.users import UserService
from qhitz_shared.passwords import Argon2PasswordHasher
from qhitz_shared.providers import request_scoped
from qhitz_shared.service import Probes


class MainProvider(Provider):
    @provide(scope=Scope.APP)
    async def feature_flags(
        self, settings: GrowthBookSettings, client: httpx.AsyncClient
    ) -> AsyncIterator[FeatureFlags]:
        flags = GrowthBookFeatureFlags(settings, client)
        await flags.start()
        yield flags
        await flags.close()

    password_hasher = alias(source=Argon2PasswordHasher, provides=PasswordHasher)

    @provide(scope=Scope.APP)
    def probes(self) -> Probes:
        return Probes()  # the database's probe and the revocation state's are shared

    user_views = provide(SqlaUserViews, scope=Scope.APP)


def main_use_cases() -> Provider:
    """REQUEST scope: the repositories and main_service's use cases."""
    return request_scoped(
        UserService,
        RoleService,
        DirectoryService,
        FeatureService,
        StatsService,
        AdminBootstrap,
        SessionService,
        ports={
            UserRepository: SqlaUserRepository,
            RoleRepository: SqlaRoleRepository,
            SessionRepository: SqlaSessionRepository,
        },
    )
