"""The one composition root every service is assembled from.

A service's ``main/`` declares its settings (a ``ServiceSettings`` subclass: one Struct per concern), its dishka
providers and one ``ServiceSpec``; the container, the Litestar app, the start-up and shutdown order and the serve
entry are built here, the same way for every service (litestar-fullstack's single ``server/core.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import msgspec
from dishka import AsyncContainer, Provider, Scope, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar
from litestar.types import ControllerRouterHandler
from sqlalchemy.ext.asyncio import AsyncEngine

from qhitz_shared.db import DatabaseProvider, DatabaseSettings, ping
from qhitz_shared.errors import AppError
from qhitz_shared.http.app import build_http_app
from qhitz_shared.http.health import Probe, Readiness
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.http.serve import serve
from qhitz_shared.providers import JwksVerificationProvider
from qhitz_shared.revocation.feed import RevocationFeed
from qhitz_shared.revocation.settings import RevocationSettings
from qhitz_shared.revocation.state import DenyState
from qhitz_shared.revocation.wiring import DenyListCheck, revocation_probe
from qhitz_shared.settings import AppSettings, HttpSettings, database_password_check, from_env


class ServiceSettings(msgspec.Struct, frozen=True):
    """What every service reads: APP_*, <SERVICE>_HTTP_*, JWT_* (``common_settings``) and REVOCATION_* (each
    service passes ``RevocationSettings.from_env`` its own defaults). A service's settings subclass it with one
    field per further concern; each field's value is handed to the container under its type (so no two fields
    may share a type), and ``from_context`` for each is declared here, not in the service's providers."""

    app: AppSettings
    http: HttpSettings
    jwt: JwtSettings
    revocation: RevocationSettings

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


class Probes(dict[str, Probe]):
    """A service's own /ready probes by name (its database, storage, the services it calls); the shared
    ``revocations`` probe is added to them. Provide one at APP scope (empty when there is nothing to probe)."""


class ReadinessProvider(Provider):
    """APP scope: /ready's Readiness, the service's Probes and then the revocation state's."""

    @provide(scope=Scope.APP)
    def readiness(self, probes: Probes, revocations: DenyState) -> Readiness:
        return Readiness({**probes, "revocations": revocation_probe(revocations)})


class DatabaseReadinessProvider(Provider):
    """ReadinessProvider of a service with a database: its ``database`` probe (SELECT 1) comes first."""

    @provide(scope=Scope.APP)
    def readiness(self, engine: AsyncEngine, probes: Probes, revocations: DenyState) -> Readiness:
        return Readiness({"database": lambda: ping(engine), **probes, "revocations": revocation_probe(revocations)})


class Background(Protocol):
    """A task the app runs beside its requests: started after the warm-ups, stopped before the container closes."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


S = TypeVar("S", bound=ServiceSettings)


def _no_background(_container: AsyncContainer, _settings: Any) -> Sequence[Background]:
    return ()


@dataclass(frozen=True, kw_only=True)
class ServiceSpec(Generic[S]):
    """What makes a service this service; everything else is assembled the same way for all.

    ``name`` is the logger, metrics prefix and (as "Qhitz <name>") the OpenAPI title; ``description`` OpenAPI's.
    ``providers(settings)``: the service's dishka providers, in order (LitestarProvider and test overrides
    follow); between them they provide ``Probes``, ``RevocationFeed``/``DenyState`` and ``principal_check``.
    ``verify_with_jwks``: user tokens are checked against the issuer's JWKS (off for the issuer itself).
    ``warm_up``: APP-scoped types resolved at start, in order, before the revocation feed (a broken key file or
    flags payload fails the start, not the first request). The revocation feed (``RevocationFeed``, which every
    service verifying user tokens provides) is started next, then each ``background(container, settings)`` task;
    on shutdown those stop in reverse order, then the container closes.
    """

    name: str
    description: str
    load_settings: Callable[[], S]
    providers: Callable[[S], Sequence[Provider]]
    controllers: Sequence[ControllerRouterHandler]
    error_statuses: Mapping[type[AppError], int] = field(default_factory=dict)
    principal_check: type = DenyListCheck
    warm_up: Sequence[type] = ()
    verify_with_jwks: bool = True
    background: Callable[[AsyncContainer, S], Sequence[Background]] = _no_background

    def make_container(self, settings: S, *overrides: Provider) -> AsyncContainer:
        """The service's container: its settings in the context; the database and its /ready probe when the
        settings carry a DatabaseSettings; /ready's Readiness; JWKS token verification unless
        ``verify_with_jwks`` is off; the service's providers, Litestar's, then ``overrides`` (tests, the worker's
        broker)."""
        context = settings.context()
        concerns = Provider(scope=Scope.APP)
        for kind in context:
            concerns.from_context(provides=kind, scope=Scope.APP)
        database = DatabaseSettings in context
        shared = (
            [concerns, DatabaseProvider(), DatabaseReadinessProvider()] if database else [concerns, ReadinessProvider()]
        )
        if self.verify_with_jwks:
            shared.append(JwksVerificationProvider())
        return make_async_container(*shared, *self.providers(settings), LitestarProvider(), *overrides, context=context)

    def create_http_app(self, settings: S | None = None, overrides: Sequence[Provider] = ()) -> Litestar:
        """The service's Litestar app from ``settings`` (default: the environment) and test ``overrides``."""
        settings = settings or self.load_settings()
        container = self.make_container(settings, *overrides)
        tasks = self.background(container, settings)
        return build_http_app(
            service=self.name,
            title=f"Qhitz {self.name}",
            description=self.description,
            container=container,
            route_handlers=self.controllers,
            http=settings.http,
            jwt=settings.jwt,
            error_statuses=dict(self.error_statuses),
            principal_check=self.principal_check,
            on_startup=[
                *(_resolve(container, kind) for kind in (*self.warm_up, RevocationFeed)),
                *(task.start for task in tasks),
            ],
            on_shutdown=[task.stop for task in reversed(tasks)],
        )

    def serve(self) -> None:
        """``python -m <service>.main``: settings from the environment, JSON logs, uvicorn on HTTP_HOST/PORT."""
        settings = self.load_settings()
        serve(self.name, settings.app, settings.http, lambda: self.create_http_app(settings))


def _resolve(container: AsyncContainer, kind: type) -> Callable[[], Awaitable[None]]:
    async def resolve() -> None:
        await container.get(kind)

    return resolve
