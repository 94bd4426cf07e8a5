"""The HEAD guard: every GET route of an app, requested with GET and with HEAD, gives the same status and headers."""

from __future__ import annotations

import re
from collections.abc import Mapping

import httpx
from litestar import Litestar
from litestar.routes import HTTPRoute

_PARAMETER = re.compile(r"{(\w+)(?::\w+)?}")
# Headers that differ between any two requests, whatever the method.
_PER_REQUEST = {"date", "x-request-id"}


def get_paths(app: Litestar) -> list[str]:
    """Every GET route's path template, e.g. ``/api/v1/media/{media_id:uuid}/content``."""
    return sorted({route.path for route in app.routes if isinstance(route, HTTPRoute) and "GET" in route.methods})


def fill(path: str, samples: Mapping[str, str]) -> str:
    """The template with each parameter replaced by its sample; a parameter without a sample fails the guard, so a
    new route cannot slip through unchecked."""

    def sample(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in samples, f"no sample value for {{{name}}} in {path}: add one to the HEAD guard"
        return samples[name]

    return _PARAMETER.sub(sample, path)


async def assert_head_mirrors_get(
    http: httpx.AsyncClient,
    app: Litestar,
    samples: Mapping[str, str],
    headers: Mapping[str, str],
    *,
    volatile: Mapping[str, set[str]] | None = None,
    variants: tuple[Mapping[str, str], ...] = ({}, {"Range": "bytes=0-0"}),
) -> list[tuple[str, int]]:
    """GET then HEAD on every GET route (each ``variants`` header set added in turn); returns (url, status) seen.
    ``volatile`` names headers that legitimately change between two GETs of a path (e.g. /metrics' length)."""
    seen: list[tuple[str, int]] = []
    for template in get_paths(app):
        url = fill(template, samples)
        ignored = _PER_REQUEST | (volatile or {}).get(template, set())
        for extra in variants:
            sent = {**headers, **extra}
            got = await http.get(url, headers=sent)
            head = await http.head(url, headers=sent)
            assert head.status_code == got.status_code, (url, extra, got.status_code, head.status_code)
            expected = {k: v for k, v in got.headers.items() if k not in ignored}
            answered = {k: v for k, v in head.headers.items() if k not in ignored}
            assert answered == expected, (url, extra)
            assert head.content == b"", url
            seen.append((url, got.status_code))
    return seen
