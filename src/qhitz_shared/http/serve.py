"""Runs a service's app under uvicorn with our JSON logging; every service's ``__main__`` is one call to it."""

from __future__ import annotations

from collections.abc import Callable

import uvicorn
from litestar import Litestar

from qhitz_shared.http.observability import configure_logging
from qhitz_shared.settings import AppSettings, HttpSettings


def serve(service: str, app: AppSettings, http: HttpSettings, create_app: Callable[[], Litestar]) -> None:
    configure_logging(service, level=app.log_level, json=app.log_json)
    run_server(create_app(), http.host, http.port)


def run_server(app: Litestar, host: str, port: int) -> None:
    """The one ASGI server setup every service runs with (bench/hello_app.py too, so comparisons are fair)."""
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_config=None,
        proxy_headers=True,
        # client addresses come from X-Forwarded-For only when the peer is a trusted proxy: FORWARDED_ALLOW_IPS
        # names them (uvicorn's default: 127.0.0.1), so a forged header cannot dodge per-IP limits or logs
        forwarded_allow_ips=None,
    )
