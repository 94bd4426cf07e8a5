"""main_service configuration, read once from the environment (``MainSettings.from_env``)."""

from __future__ import annotations

from main_service.adapters.outbound.growthbook.flags import GrowthBookSettings
from qhitz_shared.db import DatabaseSettings
from qhitz_shared.mail.settings import MailSettings
from qhitz_shared.passwords import Argon2Settings
from qhitz_shared.revocation.settings import SharedBrokers
from qhitz_shared.service import ServiceSettings


class MainSettings(ServiceSettings, frozen=True):
    """MAIN_HTTP_*, MAIN_DB_* (maindb), GROWTHBOOK_*, ARGON2_* and the shared concerns."""

    db: DatabaseSettings
    growthbook: GrowthBookSettings
    argon2: Argon2Settings
    mail: MailSettings
    brokers: SharedBrokers

    env_prefix = "MAIN_"
    default_port = 3000
    concerns = {"growthbook": "GROWTHBOOK_"}

    def checked(self) -> MainSettings:
        self.mail.check(self.app)
        return self
