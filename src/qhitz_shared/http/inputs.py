"""Bounded, validated input types for every service's DTOs, query, path and header parameters.

Strings carry a maximum length and refuse control characters (``qhitz_shared.text``); integers fit the column
they reach (PostgreSQL ``integer`` unless said otherwise); date-times need an offset. A breach answers 400
``validation_failed`` naming the field, except a naive date-time: 422 ``naive_datetime``, on every service.

Text meant to be compared (identifiers, titles, tags...) is NFC-normalised by the domain rule that validates
it; the raw bound here is ``RAW_FACTOR`` times that rule's limit, so an NFD spelling of a text that fits is not
refused before it was normalised.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request
from litestar.exceptions import ValidationException
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import Parameter
from litestar.typing import FieldDefinition

from qhitz_shared.text import NO_CONTROL_PATTERN, RAW_FACTOR, nfc, require_aware

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
AWARE_NOTE = "RFC 3339 date-time with an offset (Z or ±hh:mm); without one: 422 naive_datetime"


def text_meta(max_length: int, *, min_length: int = 0, normalised: bool = True) -> msgspec.Meta:
    """A DTO field's bound: ``max_length`` code points of the NFC form (raw: ``RAW_FACTOR`` times, when the
    domain normalises and re-checks it), no control characters but tab, LF and CR."""
    raw = max_length * RAW_FACTOR if normalised else max_length
    return msgspec.Meta(min_length=min_length, max_length=raw, pattern=NO_CONTROL_PATTERN)


def text_param(max_length: int, *, min_length: int = 0, normalised: bool = True, **kwargs: Any) -> Any:
    """The same bound for a query, path or header parameter (a Litestar ``Parameter``)."""
    raw = max_length * RAW_FACTOR if normalised else max_length
    return Parameter(min_length=min_length or None, max_length=raw, pattern=NO_CONTROL_PATTERN, **kwargs)


def Text(max_length: int, *, min_length: int = 0, normalised: bool = True) -> Any:  # noqa: N802 - a type factory
    """``Annotated[str, ...]`` for a DTO field."""
    return Annotated[str, text_meta(max_length, min_length=min_length, normalised=normalised)]


def Opaque(max_length: int, *, min_length: int = 0) -> Any:  # noqa: N802 - a type factory
    """Text nobody reads, stores or compares as text (passwords, tokens, secrets): any character, bounded.
    The marker tells the route guard that the missing character rule is deliberate."""
    return Annotated[str, msgspec.Meta(min_length=min_length, max_length=max_length, extra={"opaque": True})]


# Integers that reach an ``integer`` column (version numbers, generations, token versions).
NonNegativeInt32 = Annotated[int, msgspec.Meta(ge=0, le=INT32_MAX)]
PositiveInt32 = Annotated[int, msgspec.Meta(ge=1, le=INT32_MAX)]
# A date-time in a JSON body: one without an offset is refused (see ``on_naive_datetime``).
AwareDateTime = Annotated[datetime, msgspec.Meta(tz=True, description=AWARE_NOTE)]
# A single-use token from a mailed link (email verification, password reset): main_service issues it, auth_service
# passes it on, and both bound it alike; compared only by its digest, so never normalised.
MailedToken = Text(128, min_length=1, normalised=False)


class MailedTokenIn(msgspec.Struct, forbid_unknown_fields=True):
    token: MailedToken


def text_list_param(max_items: int, max_length: int, *, normalised: bool = True, **kwargs: Any) -> Any:
    """A repeated query parameter (``?tag=a&tag=b``) of ``list[Text(max_length)]``: Litestar's document drops
    the items' bounds, so they are written out here (the type still enforces them)."""
    raw = max_length * RAW_FACTOR if normalised else max_length
    items = Schema(type=OpenAPIType.STRING, max_length=raw, pattern=NO_CONTROL_PATTERN)
    array = Schema(type=OpenAPIType.ARRAY, items=items, max_items=max_items)
    one_of = [array, Schema(type=OpenAPIType.NULL)]
    return Parameter(max_items=max_items, schema_extra={"one_of": one_of}, **kwargs)


def positive_int32_param(**kwargs: Any) -> Any:
    return Parameter(ge=1, le=INT32_MAX, **kwargs)


def aware_param(**kwargs: Any) -> Any:
    """Marks a date-time query parameter; ``refuse_naive_datetimes`` enforces the offset for every one."""
    return Parameter(description=kwargs.pop("description", AWARE_NOTE), **kwargs)


def query_text(value: str | None) -> str | None:
    """A search or filter value in NFC, so it compares equal to what was stored."""
    return None if value is None else nfc(value)


def _is_datetime(field: FieldDefinition) -> bool:
    return field.is_subclass_of(datetime) or any(inner.is_subclass_of(datetime) for inner in field.inner_types)


def datetime_parameters(fields: dict[str, FieldDefinition]) -> list[tuple[str, str, str]]:
    """(handler name, wire name, source) of each date-time query, path or header parameter."""
    found = []
    for name, field in fields.items():
        if not _is_datetime(field):
            continue
        kwarg = field.kwarg_definition
        header = getattr(kwarg, "header", None)
        source = "header" if header else "query"
        found.append((name, getattr(kwarg, "query", None) or header or name, source))
    return found


_CACHE_KEY = "qhitz_datetime_parameters"  # in the handler's ``opt``: computed once per route


async def refuse_naive_datetimes(request: Request[Any, Any, Any]) -> None:
    """An app-wide ``before_request``: every date-time query or header parameter of the route must carry an
    offset (Litestar drops ``msgspec.Meta(tz=True)`` on parameters, so it cannot say it in the type)."""
    handler = request.route_handler
    found = handler.opt.get(_CACHE_KEY)
    if found is None:
        found = handler.opt[_CACHE_KEY] = datetime_parameters(handler.parsed_fn_signature.parameters)
    for name, wire, source in found:
        raw = request.headers.get(wire) if source == "header" else request.query_params.get(wire)
        if not raw:
            continue
        try:
            # strict: an RFC 3339 string only (the lax mode would read "123" as seconds since the epoch)
            value = msgspec.convert(raw, datetime)
        except msgspec.ValidationError:
            message = "Expected an RFC 3339 date-time with an offset, as in 2030-01-01T00:00:00Z"
            raise ValidationException(
                detail=f"Validation failed for {request.method} {request.url.path}",
                extra=[{"message": message, "key": wire, "source": source}],
            ) from None
        require_aware(value, name)
