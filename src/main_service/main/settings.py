"""main_service configuration, read once from the environment."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from main_service.adapters.outbound.growthbook.flags import GrowthBookSettings
from qhitz_shared.db import DatabaseSettings
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.passwords import Argon2Settings
from qhitz_shared.revocation.settings import RevocationSettings
from qhitz_shared.settings import AppSettings, HttpSettings, database_password_check, from_env

DEFAULT_PORT = 3000


class MainSettings(msgspec.Struct, frozen=True):
    app: AppSettings
    http: HttpSettings
    db: DatabaseSettings
    jwt: JwtSettings
    growthbook: GrowthBookSettings
    argon2: Argon2Settings
    revocation: RevocationSettings

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MainSettings:
        app = from_env(AppSettings, "APP_", environ)
        settings = cls(
            app=app,
            http=from_env(HttpSettings, "MAIN_HTTP_", environ, port=DEFAULT_PORT),
            db=from_env(DatabaseSettings, "MAIN_DB_", environ, url=f"sqlite+aiosqlite:///{app.data_dir}/main.db"),
            jwt=from_env(JwtSettings, "JWT_", environ),
            growthbook=from_env(GrowthBookSettings, "GROWTHBOOK_", environ),
            argon2=from_env(Argon2Settings, "ARGON2_", environ),
            revocation=RevocationSettings.from_env(environ),
        )
        database_password_check(app, "MAIN_DB_URL", settings.db.url)
        return settings
