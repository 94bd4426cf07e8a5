"""Runs a service's app under uvicorn with our JSON logging; every service's ``__main__`` is one call to it."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Mapping
from typing import Any

import uvicorn
from litestar import Litestar

from qhitz_shared.http.observability import configure_logging
from qhitz_shared.settings import AppSettings, HttpSettings

GRACEFUL_SHUTDOWN_SECONDS = 20  # under the usual 30 s an orchestrator waits before SIGKILL
# WebSocket heartbeats: a protocol ping every 20 s (a socket that does not answer within 20 s is closed), well
# under the gateway's 60 s read timeout, so an idle chat socket stays open behind nginx. uvicorn's defaults, named.
WS_PING_SECONDS = 20.0


def proxy_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """uvicorn's options for forwarding headers. X-Forwarded-For gives the client address only from the proxies
    FORWARDED_ALLOW_IPS names (the compose files set it for the gateway in front); unset, no header is trusted, so
    a local client cannot rotate addresses to dodge per-address limits (uvicorn itself would trust 127.0.0.1)."""
    trusted = environ.get("FORWARDED_ALLOW_IPS", "").strip()
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None}


def serve(service: str, app: AppSettings, http: HttpSettings, create_app: Callable[[], Litestar]) -> None:
    configure_logging(service, level=app.log_level, json=app.log_json)
    run_server(create_app(), http.host, http.port)


def run_server(app: Litestar, host: str, port: int) -> None:
    """The one ASGI server setup every service runs with (bench/apps/hello.py too, so comparisons are fair).

    uvicorn with uvloop and httptools, named rather than left to "auto" so a missing extra fails loudly instead
    of silently serving at half speed. Chosen by measurement (bench/hot_paths.py, README "Performance"): granian
    2.8 served our endpoints slower and with more CPU per request on this stack.

    Everything built so far (modules, the app, its routes, schemas and signature models) is frozen out of the
    garbage collector's reach first (``gc.freeze``): a full collection otherwise walks all of it in the middle of
    whatever request triggers it, 171 ms once during a 1 GiB tus upload here; now it walks what requests and
    background tasks made since.
    """
    gc.freeze()
    uvicorn.run(
        app,
        host=host,
        port=port,
        loop="uvloop",
        http="httptools",
        log_config=None,
        **proxy_options(os.environ),
        # SIGTERM: stop accepting, let requests in flight finish, but never hang a deploy on a stuck connection
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        ws_ping_interval=WS_PING_SECONDS,
        ws_ping_timeout=WS_PING_SECONDS,
    )
