"""A naive date-time is 422 naive_datetime naming the field, in a query parameter and in a JSON body alike."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Litestar, get, post
from litestar.params import JSONBody
from litestar.testing import TestClient

from qhitz_shared.http.inputs import AwareDateTime, aware_param, refuse_naive_datetimes
from qhitz_shared.http.problems import exception_handlers


class Window(msgspec.Struct):
    since: AwareDateTime


@get("/items")
async def items(since: Annotated[datetime | None, aware_param()] = None) -> str:
    return "ok"


@post("/windows", status_code=200)
async def windows(data: JSONBody[Window]) -> str:
    return "ok"


def test_naive_date_times_are_422_in_queries_and_bodies() -> None:
    app = Litestar([items, windows], exception_handlers=exception_handlers(), before_request=refuse_naive_datetimes)
    with TestClient(app) as client:
        for response in (
            client.get("/items", params={"since": "2030-01-01T00:00:00"}),
            client.post("/windows", json={"since": "2030-01-01T00:00:00"}),
        ):
            assert response.status_code == 422, response.text
            assert (response.json()["code"], response.json()["field"]) == ("naive_datetime", "since")
        assert client.get("/items", params={"since": "2030-01-01T00:00:00+02:00"}).status_code == 200
        assert client.post("/windows", json={"since": "2030-01-01T00:00:00Z"}).status_code == 200
        garbage = client.get("/items", params={"since": "soon"})
        assert (garbage.status_code, garbage.json()["errors"][0]["key"]) == (400, "since")
