"""Runs a service's app under uvicorn with our JSON logging; every service's ``__main__`` is one call to it."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import uvicorn
from litestar import Litestar

from qhitz_shared.http.observability import configure_logging
from qhitz_shared.settings import AppSettings, HttpSettings


def proxy_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """uvicorn's options for forwarding headers. X-Forwarded-For gives the client address only from the proxies
    FORWARDED_ALLOW_IPS names (the compose files set it for the gateway in front); unset, no header is trusted, so
    a local client cannot rotate addresses to dodge per-address limits (uvicorn itself would trust 127.0.0.1)."""
    trusted = environ.get("FORWARDED_ALLOW_IPS", "").strip()
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None}


def serve(service: str, app: AppSettings, http: HttpSettings, create_app: Callable[[], Litestar]) -> None:
    configure_logging(service, level=app.log_level, json=app.log_json)
    uvicorn.run(
        create_app(),
        host=http.host,
        port=http.port,
        log_config=None,
        **proxy_options(os.environ),
    )
