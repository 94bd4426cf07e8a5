"""Query strings hold only the parameters a route declares: an unknown one (a misspelt filter, ``page[x]=1``) is
400, never silently ignored (a filter that does nothing would look like an empty result)."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ValidationException

from qhitz_shared.http.inputs import refuse_naive_datetimes

_CACHE_KEY = "studio_query_names"


def _declared(request: Request[Any, Any, Any]) -> frozenset[str]:
    handler = request.route_handler
    names = handler.opt.get(_CACHE_KEY)
    if names is None:
        found = set()
        for name, field in handler.parsed_fn_signature.parameters.items():
            kwarg = field.kwarg_definition
            if getattr(kwarg, "header", None) or getattr(kwarg, "cookie", None):
                continue
            found.add(getattr(kwarg, "query", None) or name)
        found |= {"page", "per_page"}  # the shared pagination dependency's
        names = handler.opt[_CACHE_KEY] = frozenset(found)
    return names


async def refuse_unknown_query(request: Request[Any, Any, Any]) -> None:
    """A route-level ``before_request`` (it replaces the app's, so it runs that one too)."""
    unknown = sorted(set(request.query_params) - _declared(request))
    if unknown:
        raise ValidationException(
            detail=f"Validation failed for {request.method} {request.url.path}",
            extra=[{"message": "Unknown query parameter", "key": key[:64], "source": "query"} for key in unknown[:5]],
        )
    await refuse_naive_datetimes(request)
