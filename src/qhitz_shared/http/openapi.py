"""The OpenAPI description tells the problems each operation can answer, in the problem+json shape it sends.

``ProblemResponses`` (a Litestar route plugin) gives every operation, from what the route itself shows:

- 401 when a bearer token is read on the route (a malformed, forged, expired or revoked token is refused even
  where no guard asks for one), plus whatever its guards answer (``answers`` marks a guard: 401, 403);
- 400 (``validation_failed``) and 422 (well-formed but refused) when it takes any input: path, query, header or
  cookie parameters, or a body — this replaces Litestar's own 400 shape, which we never send;
- 404 when its path has parameters (the thing they name may not exist);
- 413 when it reads a body (Litestar's body limit, or the route's own);
- 503 (``dependency_unavailable``) unless the handler says ``opt={"needs_no_dependency": True}``.

A route adds the rest (409 on a conflict, 429 from rate limits, 415 ...) with ``responses=problems(409, 429)``;
its own ``responses`` win over derived ones of the same status.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin  # Litestar's own, extended
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIResponse, Operation, RequestBody, Schema
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute
from litestar.typing import FieldDefinition

from qhitz_shared.http.problems import PROBLEM_JSON

G = TypeVar("G", bound=Callable[..., Any])

NEEDS_NO_DEPENDENCY = "needs_no_dependency"

DESCRIPTIONS = {
    400: "The request is malformed: a parameter or the body does not match its schema (`errors` lists the fields)",
    401: "No valid bearer token: missing where required, malformed, forged, expired or revoked",
    403: "The caller lacks a permission, or may not act on this resource",
    404: "The resource named in the path does not exist (or is not visible to the caller)",
    409: "The request conflicts with the current state",
    413: "The body is larger than allowed",
    415: "The content type is not accepted",
    416: "The range selects no byte of the content",
    422: "The input is well-formed but refused (a rule of the domain)",
    429: "Too many requests; retry after `Retry-After` seconds",
    503: "A dependency (database, broker, another service) is unavailable; retry later",
    507: "Not enough storage left for this",
}


class FieldProblem(msgspec.Struct, kw_only=True):
    """One refused field of a validation problem."""

    message: str
    key: str | msgspec.UnsetType = msgspec.UNSET
    source: str | msgspec.UnsetType = msgspec.UNSET


class Problem(msgspec.Struct, kw_only=True):
    """RFC 9457 problem details, as every error is answered (``application/problem+json``).

    ``code`` is stable and machine-readable (the README's "Errors" section lists them all); ``request_id``
    identifies the request in the logs; ``errors`` (validation problems only) names the refused fields. A problem
    may carry more members (``required``, ``retry_after``, ``size``, ``field``...)."""

    type: str
    title: str
    status: int
    code: str
    detail: str
    instance: str
    request_id: str
    errors: list[FieldProblem] | msgspec.UnsetType = msgspec.UNSET


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """``responses=`` for a route: the problem+json body under each of ``statuses``."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=PROBLEM_JSON,
            description=DESCRIPTIONS.get(status, "Problem"),
            generate_examples=False,
        )
        for status in statuses
    }


def answers(*statuses: int) -> Callable[[G], G]:
    """Marks a guard with the statuses it refuses with, for the OpenAPI description."""

    def mark(guard: G) -> G:
        guard.problem_statuses = frozenset(statuses)  # type: ignore[attr-defined]
        return guard

    return mark


class ProblemResponses(ReceiveRoutePlugin):
    """Adds the derived problem responses to every HTTP handler as its route is registered."""

    def __init__(self, unauthenticated_paths: Sequence[str], security: Sequence[dict[str, list[str]]] = ()) -> None:
        self._unauthenticated = [re.compile(pattern) for pattern in unauthenticated_paths]
        self._security = list(security)

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        seen: set[int] = set()
        for handler, kwargs in route.route_handler_map.values():
            if id(handler) in seen:
                continue
            seen.add(id(handler))
            derived = problems(*self._statuses(route, handler, kwargs))
            handler.responses = {**derived, **(handler.responses or {})}
            if not self._requires_token(handler):
                # {} among the requirements: a token is optional here (anonymous callers get an answer too)
                accepted = self._security if self._reads_token(route, handler) else []
                own = [requirement for requirement in handler.security or [] if requirement]
                handler.security = [*accepted, *own, {}]

    def _reads_token(self, route: HTTPRoute, handler: Any) -> bool:
        excluded = (handler.opt or {}).get("exclude_from_auth")
        return not excluded and not any(pattern.search(route.path) for pattern in self._unauthenticated)

    @staticmethod
    def _requires_token(handler: Any) -> bool:
        return any(
            401 in getattr(guard, "problem_statuses", ())
            for layer in handler.ownership_layers
            for guard in layer.guards or ()
        )

    def _statuses(self, route: HTTPRoute, handler: Any, kwargs: Any) -> Iterable[int]:
        statuses: set[int] = set()
        opt = handler.opt or {}
        if self._reads_token(route, handler):
            statuses.add(401)
        for layer in handler.ownership_layers:  # the guards as written (resolve_guards() wraps them)
            for guard in layer.guards or ():
                statuses |= getattr(guard, "problem_statuses", frozenset())
        has_body = "data" in handler.parsed_fn_signature.parameters or bool(
            kwargs.expected_form_data or kwargs.expected_msgpack_data
        )
        parameters = (
            kwargs.expected_path_params
            or kwargs.expected_query_params
            or kwargs.expected_header_params
            or kwargs.expected_cookie_params
        )
        if has_body or parameters:
            statuses |= {400, 422}
        if has_body:
            statuses.add(413)
        if route.path_parameters:
            statuses.add(404)
        if not opt.get(NEEDS_NO_DEPENDENCY):
            statuses.add(503)
        return sorted(statuses)


def documented(
    *, request_body: RequestBody | None = None, responses: dict[str, OpenAPIResponse] | None = None
) -> type[Operation]:
    """An ``operation_class`` for a handler that reads or writes its body itself (a streamed upload, a download):
    Litestar cannot see those, so the route states them here; ``responses`` replace the same statuses."""

    @dataclass
    class DocumentedOperation(Operation):
        def __post_init__(self) -> None:
            if request_body is not None:
                self.request_body = request_body
            if responses:
                self.responses = {**(self.responses or {}), **responses}

    return DocumentedOperation


class ClosedStructSchemaPlugin(StructSchemaPlugin):
    """Litestar's Struct schema, made to say what msgspec enforces: a Struct with ``forbid_unknown_fields=True``
    refuses members it does not name (``additionalProperties: false``), and the items of a list field keep
    their bounds (``list[Annotated[str, Meta(max_length=..., pattern=...)]]``), which Litestar's plugin drops."""

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        struct = field_definition.type_
        if struct.__struct_config__.forbid_unknown_fields:
            schema.additional_properties = False
        for field in msgspec.structs.fields(struct):
            prop = (schema.properties or {}).get(field.encode_name)
            if isinstance(prop, Schema):
                for items in _item_schemas(prop):
                    _bound_items(items, msgspec.json.schema(field.type))
        return schema


def _item_schemas(schema: Schema) -> list[Schema]:
    """The item schemas of an array, also inside the ``oneOf`` Litestar writes for an optional field."""
    branches = [schema, *(option for option in schema.one_of or () if isinstance(option, Schema))]
    return [branch.items for branch in branches if isinstance(branch.items, Schema)]


_ITEM_BOUNDS = {"maxLength": "max_length", "minLength": "min_length", "pattern": "pattern"}


def _bound_items(items: Schema, field_schema: dict[str, Any]) -> None:
    """Copies the string bounds msgspec publishes for a list's items onto Litestar's item schema."""
    item = field_schema.get("items")
    for option in field_schema.get("anyOf", []):  # an optional list: the array branch
        item = item or option.get("items")
    if not isinstance(item, dict):
        return
    for key, attribute in _ITEM_BOUNDS.items():
        if key in item and getattr(items, attribute) is None:
            setattr(items, attribute, item[key])
