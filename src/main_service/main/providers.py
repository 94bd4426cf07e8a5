"""dishka providers: APP-scoped infrastructure, REQUEST-scoped repositories and use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import Provider, Scope, from_context, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncEngine

from main_service.adapters.outbound.growthbook.flags import GrowthBookFeatureFlags, GrowthBookSettings
from main_service.adapters.outbound.persistence.roles import SqlaRoleRepository
from main_service.adapters.outbound.persistence.sessions import SqlaSessionRepository
from main_service.adapters.outbound.persistence.users import SqlaUserRepository
from main_service.adapters.outbound.persistence.views import AutocommitEngine, SqlaUserViews
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
from qhitz_shared.db import DatabaseSettings, ping
from qhitz_shared.http.health import Readiness
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.password_policy import PasswordPolicy
from qhitz_shared.passwords import Argon2PasswordHasher, Argon2Settings
from qhitz_shared.revocation.state import DenyState
from qhitz_shared.revocation.wiring import revocation_probe
from qhitz_shared.settings import AppSettings


class MainProvider(Provider):
    app_settings = from_context(AppSettings, scope=Scope.APP)
    db_settings = from_context(DatabaseSettings, scope=Scope.APP)
    jwt_settings = from_context(JwtSettings, scope=Scope.APP)
    growthbook_settings = from_context(GrowthBookSettings, scope=Scope.APP)
    argon2_settings = from_context(Argon2Settings, scope=Scope.APP)

    @provide(scope=Scope.APP)
    async def feature_flags(
        self, settings: GrowthBookSettings, client: httpx.AsyncClient
    ) -> AsyncIterator[FeatureFlags]:
        flags = GrowthBookFeatureFlags(settings, client)
        await flags.start()
        yield flags
        await flags.close()

    @provide(scope=Scope.APP)
    def password_hasher(self, settings: Argon2Settings) -> PasswordHasher:
        return Argon2PasswordHasher(settings)

    @provide(scope=Scope.APP)
    def password_policy(self) -> PasswordPolicy:
        return PasswordPolicy()

    @provide(scope=Scope.APP)
    def readiness(self, engine: AsyncEngine, revocations: DenyState) -> Readiness:
        return Readiness({"database": lambda: ping(engine), "revocations": revocation_probe(revocations)})

    autocommit_engine = provide(AutocommitEngine, scope=Scope.APP)
    user_views = provide(SqlaUserViews, scope=Scope.APP)
    users = provide(SqlaUserRepository, scope=Scope.REQUEST, provides=UserRepository)
    roles = provide(SqlaRoleRepository, scope=Scope.REQUEST, provides=RoleRepository)
    sessions = provide(SqlaSessionRepository, scope=Scope.REQUEST, provides=SessionRepository)
    use_cases = provide_all(
        UserService,
        RoleService,
        DirectoryService,
        FeatureService,
        StatsService,
        AdminBootstrap,
        SessionService,
        scope=Scope.REQUEST,
    )
