"""auth_service fixtures: the real main_service and auth_service over real HTTP, on PostgreSQL and Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.support import databases
from tests.support.platform import Platform, run_platform


@pytest.fixture(scope="session")
def platform(main_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with run_platform(main_db_url, tmp_path_factory.mktemp("auth-data")) as running:
        yield running


@pytest.fixture
async def auth(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform.auth_url, timeout=10) as client:
        yield client


@pytest.fixture
async def main(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform.main_url, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def mail_db_url() -> Iterator[str]:
    """A main database of the module's own, for platforms whose mail a test reads: main_db_url is shared with the
    session's platform, whose outbox relay (writing .eml files) would otherwise take a share of their mail."""
    name = databases.create_database("mail")
    try:
        url = databases.async_url(name)
        databases.migrate("main", url)
        yield url
    finally:
        databases.drop_database(name)
