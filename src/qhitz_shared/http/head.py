"""HEAD on every GET route, once for all services (RFC 9110 §9.3.2: GET's status and headers, no content)."""

from __future__ import annotations

from litestar.types import ASGIApp, Message, Receive, Scope, Send

_DISCONNECT: Message = {"type": "http.disconnect"}


class HeadAsGet:
    """Runs a HEAD request as the GET it mirrors and drops the content.

    Litestar answers HEAD only on routes declared for it (405 elsewhere), so the request is routed as GET: every
    header the GET handler sets (ETag, Content-Length, Accept-Ranges, Content-Disposition, Content-Range...) goes
    out unchanged. A streamed answer is stopped as soon as its headers are out: once the request has been read,
    ``receive`` reports the client gone, which is how Litestar's streaming responses learn to stop reading storage,
    so a HEAD on a large file does not read the file.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        request_read = started = finished = False

        async def receive_then_leave() -> Message:
            nonlocal request_read
            if request_read:
                return _DISCONNECT
            request_read = True
            return await receive()

        async def send_headers_only(message: Message) -> None:
            nonlocal finished, request_read, started
            if message["type"] == "http.response.start":
                request_read = started = True  # the handler is answering: whatever it reads next is the client leaving
                await send(message)
            elif message["type"] == "http.response.body" and not finished:
                finished = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        # A copy, so the outer access log still records HEAD.
        await self.app({**scope, "method": "GET"}, receive_then_leave, send_headers_only)  # type: ignore[typeddict-item]
        if started and not finished:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
