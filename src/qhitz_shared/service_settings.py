"""The settings every service reads, and the one ``from_env`` that loads a service's settings class.

A service declares its settings as a ``ServiceSettings`` subclass: one field per concern (a msgspec Struct) and
three class variables — ``env_prefix`` ("DENTAL_": ``DENTAL_HTTP_*``, and ``DENTAL_DB_*`` when it has a ``db``
field), ``default_port`` and ``concerns`` (each further field's env prefix). ``from_env`` reads them all; a service
overrides ``revocation_defaults`` and ``checked`` only when it has derived defaults or start-up refusals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

import msgspec

from qhitz_shared.db import DatabaseSettings
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.revocation.settings import RevocationSettings
from qhitz_shared.settings import AppSettings, HttpSettings, database_password_check, from_env


@dataclass(frozen=True)
class Env:
    """A concern's env prefix with defaults of its own (``Env("SERVICE_", {"client_id": "medias_service"})``)."""

    prefix: str
    defaults: Mapping[str, object] = field(default_factory=dict)


class ServiceSettings(msgspec.Struct, frozen=True):
    """What every service reads: APP_*, <env_prefix>HTTP_*, JWT_*, REVOCATION_* and, with a ``db`` field,
    <env_prefix>DB_* (embedded SQLite ``<APP_DATA_DIR>/<service>.db`` by default). Each field's value is handed to
    the container under its type, so no two fields may share a type."""

    app: AppSettings
    http: HttpSettings
    jwt: JwtSettings
    revocation: RevocationSettings

    env_prefix: ClassVar[str] = ""
    default_port: ClassVar[int] = 0
    concerns: ClassVar[Mapping[str, str | Env]] = {}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Every field from the environment (``os.environ`` when None); SystemExit on a refused value."""
        app = app_settings(environ)
        database = "db" in cls.__struct_fields__
        fields = common_settings(
            app,
            environ,
            http_prefix=f"{cls.env_prefix}HTTP_",
            port=cls.default_port,
            db_prefix=f"{cls.env_prefix}DB_" if database else None,
            sqlite_file=f"{cls.env_prefix.rstrip('_').lower()}.db",
        )
        kinds = {info.name: info.type for info in msgspec.structs.fields(cls)}
        for name, env in cls.concerns.items():
            env = env if isinstance(env, Env) else Env(env)
            fields[name] = from_env(kinds[name], env.prefix, environ, **env.defaults)
        fields["revocation"] = RevocationSettings.from_env(environ, **cls.revocation_defaults(fields))
        return cls(**fields).checked()

    @classmethod
    def revocation_defaults(cls, fields: Mapping[str, Any]) -> dict[str, object]:
        """REVOCATION_* defaults that follow from the other concerns (main_url from the service's own setting)."""
        return {}

    def checked(self) -> Self:
        """Derived values and start-up refusals (SystemExit); the loaded settings unchanged by default."""
        return self

    def context(self) -> dict[Any, object]:
        """The dishka context: every concern's Struct keyed by its type."""
        return {type(value): value for value in (getattr(self, name) for name in self.__struct_fields__)}


def app_settings(environ: Mapping[str, str] | None = None) -> AppSettings:
    """APP_*: read first, as other concerns' defaults (data directory) follow from it."""
    return from_env(AppSettings, "APP_", environ)


def common_settings(
    app: AppSettings,
    environ: Mapping[str, str] | None,
    *,
    http_prefix: str,
    port: int,
    db_prefix: str | None = None,
    sqlite_file: str = "",
) -> dict[str, Any]:
    """The ``app``/``http``/``jwt`` fields of a ServiceSettings (``port``: the service's default port), and with
    ``db_prefix`` a ``db`` field too: ``<db_prefix>*`` database settings defaulting to embedded SQLite in
    ``<APP_DATA_DIR>/<sqlite_file>``; a default password in ``<db_prefix>URL`` stops the process in production."""
    fields: dict[str, Any] = {"app": app, "http": from_env(HttpSettings, http_prefix, environ, port=port)}
    if db_prefix is not None:
        url = f"sqlite+aiosqlite:///{app.data_dir}/{sqlite_file}"
        fields["db"] = db = from_env(DatabaseSettings, db_prefix, environ, url=url)
        database_password_check(app, f"{db_prefix}URL", db.url)
    fields["jwt"] = from_env(JwtSettings, "JWT_", environ)
    return fields
