"""Request ids, structured JSON logs, access logging and the request id on outgoing calls."""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from typing import Any

import httpx
import structlog
from litestar.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

_HEADER = REQUEST_ID_HEADER.encode()  # ASGI header names are lower-case bytes

access_log = structlog.get_logger("access")
_access_stdlib = logging.getLogger("access")  # where access_log writes: its level decides before any work


def configure_logging(service: str, *, level: str = "INFO", json: bool = True) -> None:
    """structlog for our logs and the standard library's, one JSON object per line on stdout."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        lambda _logger, _name, event: {"service": service, **event},
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=colours_wanted())
    )
    structlog.configure(
        # the level filter first: a dropped line costs no context merge, timestamp or rendering
        processors=[structlog.stdlib.filter_by_level, *shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def colours_wanted() -> bool:
    """ANSI colours in the console format only for a person: NO_COLOR (no-color.org) turns them off, FORCE_COLOR
    on (make dev sets it when its own output is a terminal: its children write to a pipe); else only a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def current_request_id() -> str | None:
    return structlog.contextvars.get_contextvars().get("request_id")


class RequestIdMiddleware:
    """Takes X-Request-ID from the caller (or makes one), binds it to every log line, echoes it back,
    and writes one access log line per request when the ``access`` logger's level lets it through.

    Pure ASGI and on every request's path, so it costs what it is worth: one scan of the headers, a random id
    without building a UUID object, and no timing or log call at all when the level drops the access line.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((value for name, value in scope["headers"] if name == _HEADER), b"").decode("latin-1")
        request_id = incoming if incoming and _VALID_REQUEST_ID.match(incoming) else os.urandom(16).hex()
        scope.setdefault("state", {})["request_id"] = request_id
        echoed = (_HEADER, request_id.encode())
        bound = structlog.contextvars.bind_contextvars(request_id=request_id)
        logged = _access_stdlib.isEnabledFor(logging.INFO)
        started = time.perf_counter() if logged else 0.0
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [header for header in message.get("headers", ()) if header[0].lower() != _HEADER]
                headers.append(echoed)
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if logged:
                access_log.info(
                    "request",
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 2),
                )
            structlog.contextvars.reset_contextvars(**bound)


async def _propagate_request_id(request: httpx.Request) -> None:
    request_id = current_request_id()
    if request_id and REQUEST_ID_HEADER not in request.headers:
        request.headers[REQUEST_ID_HEADER] = request_id


def outgoing_client(**kwargs: Any) -> httpx.AsyncClient:
    """An httpx client that passes the current request id on to every call it makes."""
    hooks = kwargs.pop("event_hooks", {})
    hooks.setdefault("request", []).append(_propagate_request_id)
    return httpx.AsyncClient(event_hooks=hooks, **kwargs)
