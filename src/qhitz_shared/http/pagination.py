"""The list envelope {items, total, page, per_page} and the page/per_page query parameters."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

import msgspec
from litestar.di import NamedDependency
from litestar.params import Parameter

from qhitz_shared.pagination import MAX_PAGE, MAX_PER_PAGE, PageRequest

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int


def provide_page_request(
    page: Annotated[int, Parameter(ge=1, le=MAX_PAGE, description="1-based page number")] = 1,
    per_page: Annotated[int, Parameter(ge=1, le=MAX_PER_PAGE, description="items per page")] = 20,
) -> PageRequest:
    return PageRequest(page=page, per_page=per_page)


def page_of(items: list[T], total: int, request: PageRequest) -> Page[T]:
    return Page(items=items, total=total, page=request.page, per_page=request.per_page)


# Handler parameter type for the shared page/per_page dependency, named ``page_request``.
Paging = NamedDependency[PageRequest]
