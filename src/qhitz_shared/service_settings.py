"""The settings every service reads, and the one ``from_env`` that loads a service's settings class.

A service declares its settings as a ``ServiceSettings`` subclass: one field per concern (a msgspec Struct) and
three class variables — ``env_prefix`` ("DENTAL_": ``DENTAL_HTTP_*``, and ``DENTAL_DB_*`` when it has a ``db``
field), ``default_port`` and ``concerns`` (only the fields whose env prefix is not the rule's). The rule: a shared
concern reads its own prefix (its Struct's ``env_prefix`` class variable: ``REDIS_``, ``ARGON2_``, ``AMQP_``,
``MAIL_``, ``SERVICE_``...), any other field ``<env_prefix><FIELD>_`` (``practice`` → ``DENTAL_PRACTICE_``). A
``ServiceClientSettings`` field defaults its client id to the service's name and refuses a weak secret outside
development. ``from_env`` reads them all; a service overrides ``revocation_defaults`` and ``checked`` only when it
has derived defaults or start-up refusals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

import msgspec

from qhitz_shared.db import DatabaseSettings
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.revocation.settings import RevocationSettings
from qhitz_shared.service_tokens import ServiceClientSettings
from qhitz_shared.settings import AppSettings, HttpSettings, database_password_check, from_env, refuse_weak_secret


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
        for info in msgspec.structs.fields(cls):
            if info.name not in fields and info.name != "revocation":
                env = cls.concern_env(info.name, info.type)
                fields[info.name] = from_env(info.type, env.prefix, environ, **env.defaults)
        fields["revocation"] = RevocationSettings.from_env(environ, **cls.revocation_defaults(fields))
        for value in fields.values():
            if isinstance(value, ServiceClientSettings):
                refuse_weak_secret(app, "SERVICE_CLIENT_SECRET", value.client_secret)
        return cls(**fields).checked()

    @classmethod
    def service_name(cls) -> str:
        """``medias_service`` for ``env_prefix`` ``MEDIAS_``: the logger name and the default service client id."""
        return f"{cls.env_prefix.rstrip('_').lower()}_service"

    @classmethod
    def concern_env(cls, name: str, kind: type) -> Env:
        """Where field ``name`` of type ``kind`` is read from: ``concerns[name]`` when declared, else the rule
        (the module docstring)."""
        declared = cls.concerns.get(name)
        if declared is not None:
            return declared if isinstance(declared, Env) else Env(declared)
        if kind is ServiceClientSettings:
            return Env(ServiceClientSettings.env_prefix, {"client_id": cls.service_name()})
        shared = getattr(kind, "env_prefix", None)
        return Env(shared) if isinstance(shared, str) else Env(f"{cls.env_prefix}{name.upper()}_")

    @classmethod
    def revocation_defaults(cls, fields: Mapping[str, Any]) -> dict[str, object]:
        """REVOCATION_* defaults that follow from the other concerns: by default main_url is the first concern's
        ``main_url`` (where the service reaches main_service), if one has it."""
        urls = [value.main_url for value in fields.values() if isinstance(getattr(value, "main_url", None), str)]
        return {"main_url": urls[0]} if urls else {}

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
