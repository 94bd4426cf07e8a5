"""Guard: nothing on a request's way to its handler runs in a worker thread.

Litestar runs a plain-function guard or hook through ``sync_to_thread``: a thread hop per request that cost about a
fifth of users/me's CPU under load (issue 10). Guards only read the scope, so they are coroutines; this fails when
a route of any service gets a plain-function guard, before-request or after-response hook. Cheap: apps built, never
started.
"""

from __future__ import annotations

import pytest
from litestar import Litestar, get
from litestar.routes import HTTPRoute
from litestar.utils.sync import AsyncCallable

from auth_service.main.app import create_http_app as create_auth_app
from dental_service.main.app import create_http_app as create_dental_app
from main_service.main.app import create_http_app as create_main_app
from medias_service.main.app import create_http_app as create_medias_app


def thread_hops(app: Litestar) -> list[str]:
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            where = f"{sorted(handler.http_methods)} {route.path}"
            for guard in handler.resolve_guards():
                if isinstance(guard, AsyncCallable):
                    found.append(f"{where}: guard {guard.func.__qualname__} is a plain function")
            for hook in (handler.resolve_before_request(), handler.resolve_after_response()):
                if isinstance(hook, AsyncCallable):
                    found.append(f"{where}: hook {hook.func.__qualname__} is a plain function")
    return found


@pytest.mark.parametrize(
    "factory",
    [create_main_app, create_auth_app, create_medias_app, create_dental_app],
    ids=["main", "auth", "medias", "dental"],
)
def test_no_route_runs_a_guard_or_hook_in_a_thread(factory) -> None:
    assert thread_hops(factory()) == []


def test_the_guard_sees_a_plain_function_guard() -> None:
    def sync_guard(_connection: object, _handler: object) -> None:
        return None

    @get("/x", guards=[sync_guard])
    async def handler() -> None:
        return None

    [problem] = thread_hops(Litestar([handler]))
    assert problem.endswith("guard test_the_guard_sees_a_plain_function_guard.<locals>.sync_guard is a plain function")
