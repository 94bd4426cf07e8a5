"""main_service configuration, read once from the environment."""

from __future__ import annotations

from collections.abc import Mapping

from main_service.adapters.outbound.growthbook.flags import GrowthBookSettings
from qhitz_shared.db import DatabaseSettings
from qhitz_shared.mail.settings import MailSettings
from qhitz_shared.passwords import Argon2Settings
from qhitz_shared.revocation.settings import RevocationSettings, SharedBrokers
from qhitz_shared.service import ServiceSettings, app_settings, common_settings
from qhitz_shared.settings import from_env

DEFAULT_PORT = 3000


class MainSettings(ServiceSettings, frozen=True):
    db: DatabaseSettings
    growthbook: GrowthBookSettings
    argon2: Argon2Settings
    mail: MailSettings
    brokers: SharedBrokers

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MainSettings:
        app = app_settings(environ)
        mail = from_env(MailSettings, "MAIL_", environ)
        mail.check(app)
        return cls(
            **common_settings(
                app, environ, http_prefix="MAIN_HTTP_", port=DEFAULT_PORT, db_prefix="MAIN_DB_", sqlite_file="main.db"
            ),
            growthbook=from_env(GrowthBookSettings, "GROWTHBOOK_", environ),
            argon2=from_env(Argon2Settings, "ARGON2_", environ),
            revocation=RevocationSettings.from_env(environ),
            mail=mail,
            brokers=from_env(SharedBrokers, "", environ),
        )
