"""The static guard of issue 9 §1: every client input of every service's routes is bounded in its type.

Walks each app's route table (handler and dependency signatures, and the msgspec types of request bodies) and
fails on a string without a maximum length or a character rule (the control-character pattern of
``qhitz_shared.http.inputs``, or the explicit ``Opaque`` marker for passwords and tokens), an integer without
an upper bound, a collection without a maximum size, or a date-time that may arrive without an offset.
Cheap: the apps are built, never started.
(The openapi lane's schemathesis run is the dynamic guard.)
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
import msgspec.inspect as mi
import pytest
from litestar import Litestar, get, post
from litestar.di import Provide
from litestar.params import JSONBody, Parameter
from litestar.typing import FieldDefinition

from auth_service.main.app import create_http_app as create_auth_app
from chat_service.main.app import create_http_app as create_chat_app
from dental_service.main.app import create_http_app as create_dental_app
from main_service.main.app import create_http_app as create_main_app
from medias_service.main.app import create_http_app as create_medias_app
from qhitz_shared.http.inputs import AwareDateTime, Opaque, Text, refuse_naive_datetimes, text_param
from studio_service.main.app import create_http_app as create_studio_app

# Framework-provided handler arguments: not client input.
RESERVED = {"request", "scope", "socket", "state", "headers", "cookies", "query", "body"}


def _leaf_problems(where: str, info: mi.Type, seen: set[type], *, opaque: bool = False) -> list[str]:
    if isinstance(info, mi.Metadata):  # a Meta with a description or extra: look through it
        return _leaf_problems(where, info.type, seen, opaque=opaque or bool((info.extra or {}).get("opaque")))
    if isinstance(info, mi.StrType):
        found = [] if info.max_length is not None else [f"{where}: text without a maximum length"]
        if info.pattern is None and not opaque:
            found.append(f"{where}: text without a character rule (qhitz_shared.http.inputs.Text, or Opaque)")
        return found
    if isinstance(info, mi.BytesType | mi.ByteArrayType) and info.max_length is None:
        return [f"{where}: bytes without a maximum length"]
    if isinstance(info, mi.IntType) and info.le is None and info.lt is None:
        return [f"{where}: integer without an upper bound"]
    if isinstance(info, mi.DateTimeType) and info.tz is not True:
        return [f"{where}: date-time without msgspec.Meta(tz=True) (use qhitz_shared.http.inputs.AwareDateTime)"]
    if isinstance(info, mi.ListType | mi.SetType | mi.FrozenSetType | mi.VarTupleType | mi.DictType):
        found = [] if info.max_length is not None else [f"{where}: collection without a maximum size"]
        inner = [info.key_type, info.value_type] if isinstance(info, mi.DictType) else [info.item_type]
        return found + [problem for item in inner for problem in _leaf_problems(f"{where}[]", item, seen)]
    if isinstance(info, mi.UnionType):
        return [problem for item in info.types for problem in _leaf_problems(where, item, seen, opaque=opaque)]
    if isinstance(info, mi.StructType | mi.DataclassType | mi.TypedDictType):
        if info.cls in seen:
            return []
        seen.add(info.cls)
        return [p for field in info.fields for p in _leaf_problems(f"{where}.{field.name}", field.type, seen)]
    return []


def body_problems(where: str, annotation: Any) -> list[str]:
    return _leaf_problems(where, mi.type_info(annotation), set())


def parameter_problems(where: str, field: FieldDefinition) -> list[str]:
    """A query, path or header parameter: its Litestar ``Parameter`` or its msgspec type must bound it."""
    kwarg = field.kwarg_definition
    info = mi.type_info(field.annotation)
    options = info.types if isinstance(info, mi.UnionType) else (info,)
    found = []
    for option in options:
        if isinstance(option, mi.StrType):
            if option.max_length is None and getattr(kwarg, "max_length", None) is None:
                found.append(f"{where}: text without a maximum length")
            if option.pattern is None and getattr(kwarg, "pattern", None) is None:
                found.append(f"{where}: text without a character rule (qhitz_shared.http.inputs.text_param)")
        elif isinstance(option, mi.IntType) and option.le is None and getattr(kwarg, "le", None) is None:
            found.append(f"{where}: integer without an upper bound")
        elif isinstance(option, mi.ListType | mi.SetType | mi.FrozenSetType):
            if option.max_length is None and getattr(kwarg, "max_items", None) is None:
                found.append(f"{where}: list without max_items")
            found += _leaf_problems(f"{where}[]", option.item_type, set())
    return found


def _signature_problems(where: str, fields: dict[str, FieldDefinition], dependencies: set[str]) -> list[str]:
    found = []
    for name, field in fields.items():
        if name in RESERVED or name in dependencies or field.is_di_field:
            continue
        if name == "data":
            found += body_problems(f"{where} body", field.type_)
        else:
            found += parameter_problems(f"{where} {name}", field)
    return found


def input_problems(app: Litestar) -> list[str]:
    """Every unbounded client input of ``app``, as 'METHOD path where: what' lines."""
    found: list[str] = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if getattr(handler.fn, "__module__", "").startswith("litestar."):
                continue  # the framework's own pages (OpenAPI, static files) read no client input into our code
            methods = ",".join(sorted(handler.http_methods)) if hasattr(handler, "http_methods") else "WS"
            where = f"{methods} {route.path}"
            dependencies = handler.resolve_dependencies()
            found += _signature_problems(where, handler.parsed_fn_signature.parameters, set(dependencies))
            for key, provide in dependencies.items():
                if isinstance(provide, Provide):
                    params = provide.parsed_fn_signature.parameters
                    found += _signature_problems(f"{where} (dependency {key})", params, set(dependencies))
            if handler.resolve_before_request() is not refuse_naive_datetimes and _has_datetime(handler):
                found.append(f"{where}: date-time parameters but no refuse_naive_datetimes before_request")
    return sorted(set(found))


def _has_datetime(handler: Any) -> bool:
    fields = handler.parsed_fn_signature.parameters.values()
    return any(f.is_subclass_of(datetime) or any(i.is_subclass_of(datetime) for i in f.inner_types) for f in fields)


@pytest.mark.parametrize(
    "factory",
    [create_main_app, create_auth_app, create_medias_app, create_dental_app, create_chat_app, create_studio_app],
    ids=["main", "auth", "medias", "dental", "chat", "studio"],
)
def test_every_client_input_of_every_service_is_bounded(factory) -> None:
    app = factory()
    assert input_problems(app) == []
    assert app.before_request is refuse_naive_datetimes


class _Loose(msgspec.Struct):
    name: str
    count: int
    when: Annotated[datetime, msgspec.Meta(description="a description hides no missing bound")]
    tags: list[Annotated[str, msgspec.Meta(max_length=5)]]


class _Tight(msgspec.Struct):
    name: Text(5)  # type: ignore[valid-type]
    secret: Opaque(5)  # type: ignore[valid-type]
    count: Annotated[int, msgspec.Meta(le=9)]
    when: AwareDateTime
    tags: Annotated[list[Text(5)], msgspec.Meta(max_length=3)]  # type: ignore[valid-type]


def test_the_guard_finds_each_kind_of_unbounded_input() -> None:
    @get("/loose/{number:int}")
    async def loose(number: int, q: str, ids: list[uuid.UUID], when: datetime | None = None) -> None: ...

    @get("/tight/{number:int}")
    async def tight(
        number: Annotated[int, Parameter(le=9)],
        q: Annotated[str, text_param(5)],
        ids: Annotated[list[uuid.UUID], Parameter(max_items=3)],
    ) -> None: ...

    @post("/loose")
    async def loose_body(data: JSONBody[_Loose]) -> None: ...

    @post("/tight")
    async def tight_body(data: JSONBody[_Tight]) -> None: ...

    problems = input_problems(Litestar([loose, tight, loose_body, tight_body]))
    assert problems == [
        "GET /loose/{number:int} ids: list without max_items",
        "GET /loose/{number:int} number: integer without an upper bound",
        "GET /loose/{number:int} q: text without a character rule (qhitz_shared.http.inputs.text_param)",
        "GET /loose/{number:int} q: text without a maximum length",
        "GET /loose/{number:int}: date-time parameters but no refuse_naive_datetimes before_request",
        "POST /loose body.count: integer without an upper bound",
        "POST /loose body.name: text without a character rule (qhitz_shared.http.inputs.Text, or Opaque)",
        "POST /loose body.name: text without a maximum length",
        "POST /loose body.tags: collection without a maximum size",
        "POST /loose body.tags[]: text without a character rule (qhitz_shared.http.inputs.Text, or Opaque)",
        "POST /loose body.when: date-time without msgspec.Meta(tz=True) (use qhitz_shared.http.inputs.AwareDateTime)",
    ]
