"""Assembles a service's Litestar app: problems, auth, request ids, health, metrics, OpenAPI, dishka."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dishka import AsyncContainer
from dishka.integrations.litestar import DishkaRouter, setup_dishka
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.static_files import create_static_files_router
from litestar.types import ASGIApp, ControllerRouterHandler, Receive, Scope, Send

from qhitz_shared.errors import AppError
from qhitz_shared.http.head import HeadAsGet
from qhitz_shared.http.health import HealthController
from qhitz_shared.http.inputs import refuse_naive_datetimes
from qhitz_shared.http.observability import RequestIdMiddleware
from qhitz_shared.http.openapi import ClosedStructSchemaPlugin, ProblemResponses
from qhitz_shared.http.pagination import provide_page_request
from qhitz_shared.http.problems import exception_handlers
from qhitz_shared.http.security import (
    UNAUTHENTICATED_PATHS,
    BearerTokenMiddleware,
    JwtSettings,
    openapi_security,
    provide_optional_principal,
    provide_principal,
)
from qhitz_shared.settings import HttpSettings

ASSETS = "/schema/assets"


# Swagger UI 5 (the swagger-ui-py package's copy, found without importing it): it renders OpenAPI 3.1, the
# version Litestar writes, which the 4.x bundles refuse ("Unable to render this definition").
def _swagger_ui_assets() -> Path:
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("swagger-ui-py (the interactive page's assets) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


SWAGGER_UI = _swagger_ui_assets()
_ALIVE = b'{"status":"ok"}'


async def _alive(_scope: Scope, _receive: Receive, send: Send) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(_ALIVE)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": _ALIVE})


class ServiceApp(Litestar):
    """Litestar with the request id bound outermost, so router 404/405 answers carry it too, and HEAD answered on
    every GET route."""

    # Liveness is probed constantly and says only "the process answers": GET /health is answered before dishka's
    # request container, exception, metrics and auth layers (it used none of them), with its request id.
    # HealthController still documents the route in OpenAPI.
    _liveness = RequestIdMiddleware(_alive)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == "/health":
            await self._liveness(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    def _create_asgi_handler(self) -> ASGIApp:
        return RequestIdMiddleware(HeadAsGet(super()._create_asgi_handler()))


class MetricsController(PrometheusController):
    path = "/metrics"
    include_in_schema = False


def build_http_app(
    *,
    service: str,
    title: str,
    description: str,
    container: AsyncContainer,
    route_handlers: Sequence[ControllerRouterHandler],
    http: HttpSettings,
    jwt: JwtSettings,
    error_statuses: dict[type[AppError], int] | None = None,
    principal_check: type | None = None,
    extra_middleware: Sequence[Any] = (),
    public_route_handlers: Sequence[ControllerRouterHandler] = (),
    on_startup: Sequence[Callable[[], Any]] = (),
    on_shutdown: Sequence[Callable[[], Any]] = (),
    cors_expose_headers: Sequence[str] = (),
) -> Litestar:
    """``route_handlers`` get dishka injection; ``public_route_handlers`` (e.g. /.well-known) are mounted as is.
    ``on_shutdown`` hooks run before the container closes. ``cors_expose_headers``: response headers a browser
    page of another origin may read (with HTTP_CORS_ORIGINS set)."""
    components, security = openapi_security(jwt)
    prometheus = PrometheusConfig(
        app_name=service,
        prefix=service,
        group_path=True,
        exclude=[r"^/metrics$", r"^/health$", r"^/ready$", r"^/schema(?:/|$)"],
    )

    async def close_container() -> None:
        await container.close()

    app = ServiceApp(
        route_handlers=[
            DishkaRouter("/", route_handlers=list(route_handlers)),
            *public_route_handlers,
            HealthController,
            MetricsController,
            create_static_files_router(path=ASSETS, directories=[SWAGGER_UI], include_in_schema=False),
        ],
        middleware=[
            prometheus.middleware,
            DefineMiddleware(BearerTokenMiddleware, exclude=UNAUTHENTICATED_PATHS),
            *extra_middleware,
        ],
        dependencies={
            "principal": Provide(provide_principal),
            "maybe_principal": Provide(provide_optional_principal),
            "page_request": Provide(provide_page_request, sync_to_thread=False),
        },
        exception_handlers=exception_handlers(error_statuses),
        before_request=refuse_naive_datetimes,
        plugins=[ProblemResponses(UNAUTHENTICATED_PATHS, security), ClosedStructSchemaPlugin()],
        openapi_config=OpenAPIConfig(
            title=title,
            description=description,
            version="1.0.0",
            path="/schema",
            components=components,
            security=security,
            render_plugins=[
                SwaggerRenderPlugin(
                    js_url=f"{ASSETS}/swagger-ui-bundle.js",
                    css_url=f"{ASSETS}/swagger-ui.css",
                    standalone_preset_js_url=f"{ASSETS}/swagger-ui-standalone-preset.js",
                    favicon=f"<link rel='icon' type='image/png' href='{ASSETS}/favicon-32x32.png'>",
                    path=["/swagger", "/"],
                )
            ],
        ),
        cors_config=(
            CORSConfig(allow_origins=http.cors_origins, expose_headers=list(cors_expose_headers))
            if http.cors_origins
            else None
        ),
        on_startup=list(on_startup),
        on_shutdown=[*on_shutdown, close_container],
        debug=False,
        logging_config=None,  # our structlog setup (configure_logging) owns the root logger
    )
    app.state.principal_check = principal_check
    setup_dishka(container, app)
    return app
