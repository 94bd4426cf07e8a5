"""A TCP proxy that plays a dependency's outages: in a thread of its own, so it keeps working while the test's loop
waits on the application."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


class TcpProxy:
    """127.0.0.1:<port> → target. ``cut()`` drops every connection and refuses new ones (the server looks down);
    ``hang()`` keeps accepting but forwards nothing, in either direction, on new and open connections (the server
    looks silently stuck); ``reset()`` accepts and closes every connection at once, counting them (the server is
    down, and the test can see how often the client tried); ``restore()`` forwards again. ``accepted`` counts the
    connections the proxy accepted."""

    def __init__(self, target_host: str = "127.0.0.1", target_port: int = 5672) -> None:
        self._target = (target_host, target_port)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._flowing = asyncio.Event()
        self._resetting = False
        self.accepted = 0

    def url(self, url: str) -> str:
        """``url`` with the target's address replaced by the proxy's."""
        host, port = self._target
        return url.replace(f"{host}:{port}", f"127.0.0.1:{self.port}", 1)

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        self.restore()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def _call(self, coro: Awaitable[T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)  # type: ignore[arg-type]

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port, reuse_address=True)

    def restore(self) -> None:
        async def restore() -> None:
            self._resetting = False
            await self._listen()
            self._flowing.set()

        self._call(restore())

    def reset(self) -> None:
        async def reset() -> None:
            self._resetting = True
            for writer in list(self._writers):
                with contextlib.suppress(Exception):
                    writer.transport.abort()
            self._writers.clear()
            await self._listen()

        self._call(reset())

    def hang(self) -> None:
        async def hang() -> None:
            self._resetting = False
            self._flowing.clear()
            await self._listen()

        self._call(hang())

    def cut(self) -> None:
        async def close() -> None:
            self._flowing.set()  # nothing waits on a dead connection
            if self._server is not None:
                self._server.close()
                self._server = None
            for writer in list(self._writers):
                with contextlib.suppress(Exception):
                    writer.transport.abort()
            self._writers.clear()

        self._call(close())

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        if self._resetting:
            writer.transport.abort()
            return
        self._writers.add(writer)
        await self._flowing.wait()
        if self._server is None:  # cut while it waited
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.transport.abort()
            return
        self._writers.add(up_writer)

        async def copy(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    await self._flowing.wait()
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                with contextlib.suppress(Exception):
                    sink.transport.abort()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))
        self._writers -= {writer, up_writer}
