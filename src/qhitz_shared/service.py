"""The one composition root every service is assembled from.

A service's ``main/`` holds three things, and the container, the Litestar app, the start-up and shutdown order
and the serve entry are built here the same way for every service (litestar-fullstack's single ``server/core.py``):

- its settings: a ``ServiceSettings`` subclass (``qhitz_shared.service_settings``) with one field per concern and
  ``env_prefix`` / ``default_port`` / ``concerns`` class variables; the shared ``from_env`` reads them all;
- its dishka providers: APP-scoped adapters, and ``request_scoped(*use_cases, ports={Port: Adapter})`` for the
  REQUEST-scoped repositories and use cases;
- one ``SERVICE = ServiceSpec(Settings, CONTROLLERS, providers, description=...)``; ``__main__`` calls
  ``SERVICE.serve()``.

The database (when the settings have a ``db`` field), /health and /ready, JWKS token verification, the revocation
feed, problem+json errors and OpenAPI come with the spec.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from dishka import AsyncContainer, Provider, Scope, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar
from litestar.types import ControllerRouterHandler
from sqlalchemy.ext.asyncio import AsyncEngine

from qhitz_shared.db import DatabaseProvider, DatabaseSettings, ping
from qhitz_shared.errors import AppError
from qhitz_shared.http.app import build_http_app
from qhitz_shared.http.health import Probe, Readiness
from qhitz_shared.http.serve import serve
from qhitz_shared.providers import ApiKeyExchangeProvider, JwksVerificationProvider
from qhitz_shared.revocation.feed import RevocationFeed
from qhitz_shared.revocation.state import DenyState
from qhitz_shared.revocation.wiring import DenyListCheck, revocation_probe
from qhitz_shared.service_settings import Env, ServiceSettings, app_settings, common_settings

__all__ = ["Background", "Env", "Probes", "ServiceSettings", "ServiceSpec", "app_settings", "common_settings"]


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


@dataclass(frozen=True)
class ServiceSpec(Generic[S]):
    """What makes a service this service; everything else is assembled the same way for all.

    ``settings``: its ServiceSettings class (``settings.from_env()`` when the app is built without settings).
    ``name`` (default: the settings class's top package, e.g. "dental_service") is the logger, metrics prefix and
    (as "Qhitz <name>") the OpenAPI title; ``description`` OpenAPI's. ``providers(settings)``: the service's
    dishka providers, in order (LitestarProvider and test overrides follow); between them
    they provide ``Probes``, ``RevocationFeed``/``DenyState`` and ``principal_check``.
    ``verify_with_jwks``: user tokens are checked against the issuer's JWKS (off for the issuer itself).
    ``warm_up``: APP-scoped types resolved at start, in order, before the revocation feed (a broken key file or
    flags payload fails the start, not the first request). The revocation feed (``RevocationFeed``, which every
    service verifying user tokens provides) is started next, then each ``background(container, settings)`` task;
    on shutdown those stop in reverse order, then the container closes.
    """

    settings: type[S]
    controllers: Sequence[ControllerRouterHandler]
    providers: Callable[[S], Sequence[Provider]]
    _: KW_ONLY
    description: str = ""
    name: str = ""
    error_statuses: Mapping[type[AppError], int] = field(default_factory=dict)
    principal_check: type = DenyListCheck
    warm_up: Sequence[type] = ()
    verify_with_jwks: bool = True
    background: Callable[[AsyncContainer, S], Sequence[Background]] = _no_background

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.settings.__module__.partition(".")[0])

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
        shared.append(ApiKeyExchangeProvider())
        if self.verify_with_jwks:
            shared.append(JwksVerificationProvider())
        return make_async_container(*shared, *self.providers(settings), LitestarProvider(), *overrides, context=context)

    def create_http_app(self, settings: S | None = None, overrides: Sequence[Provider] = ()) -> Litestar:
        """The service's Litestar app from ``settings`` (default: the environment) and test ``overrides``."""
        settings = settings or self.settings.from_env()
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
        settings = self.settings.from_env()
        serve(self.name, settings.app, settings.http, lambda: self.create_http_app(settings))


def _resolve(container: AsyncContainer, kind: type) -> Callable[[], Awaitable[None]]:
    async def resolve() -> None:
        await container.get(kind)

    return resolve
