"""Run a Litestar app's lifespan in one task, so startup and shutdown share it (anyio cancel scopes demand it)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from litestar import Litestar


@asynccontextmanager
async def running(app: Litestar) -> AsyncIterator[Litestar]:
    started = asyncio.Event()
    stop = asyncio.Event()

    async def hold() -> None:
        async with app.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(hold())
    starting = asyncio.create_task(started.wait())
    await asyncio.wait({task, starting}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        starting.cancel()
        task.result()  # startup failed: raise its error
    try:
        yield app
    finally:
        stop.set()
        await task


@asynccontextmanager
async def asgi_client(app: Litestar, base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url) as client:
        yield client
