"""Which client address a service sees: X-Forwarded-For counts only from a gateway FORWARDED_ALLOW_IPS names."""

from __future__ import annotations

import gc

import httpx
import pytest
from litestar import Litestar, Request, get

from qhitz_shared.http import serve
from qhitz_shared.http.serve import proxy_options
from tests.support.servers import serve_app


@get("/health", sync_to_thread=False)
def health() -> str:
    return "ok"


@get("/client", sync_to_thread=False)
def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


APP = Litestar([health, client_address])


@pytest.mark.parametrize(
    ("environ", "seen"),
    [
        ({}, "127.0.0.1"),  # make dev: nothing in front, a local client cannot pick its address
        ({"FORWARDED_ALLOW_IPS": ""}, "127.0.0.1"),
        ({"FORWARDED_ALLOW_IPS": "127.0.0.1"}, "203.0.113.7"),  # a gateway on loopback
        ({"FORWARDED_ALLOW_IPS": "*"}, "203.0.113.7"),  # the compose files: only the gateway reaches the services
    ],
)
def test_a_forwarding_header_is_trusted_only_from_a_configured_gateway(environ, seen) -> None:
    with serve_app(APP, **proxy_options(environ)) as url:
        response = httpx.get(f"{url}/client", headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.text == seen


def test_what_startup_built_is_frozen_out_of_the_collector_before_serving(monkeypatch) -> None:
    """A full collection must not walk the modules, routes and schemas in the middle of a request."""
    seen: list[int] = []
    monkeypatch.setattr(serve.uvicorn, "run", lambda app, **options: seen.append(gc.get_freeze_count()))
    try:
        serve.run_server(APP, "127.0.0.1", 0)
    finally:
        gc.unfreeze()
    assert seen and seen[0] > 10_000
