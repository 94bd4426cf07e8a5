import json
import logging

import structlog

from qhitz_shared.http.observability import configure_logging


def test_logs_are_json_lines_with_the_bound_request_id(capsys):
    configure_logging("svc", level="INFO", json=True)
    try:
        structlog.contextvars.bind_contextvars(request_id="rid-1")
        structlog.get_logger("x").info("hello", answer=42)
        logging.getLogger("stdlib").warning("from the standard library")
    finally:
        structlog.contextvars.clear_contextvars()
        logging.getLogger().handlers.clear()
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0] | {"timestamp": None} == {
        "service": "svc",
        "event": "hello",
        "answer": 42,
        "request_id": "rid-1",
        "level": "info",
        "logger": "x",
        "timestamp": None,
    }
    assert lines[1]["event"] == "from the standard library"
    assert lines[1]["request_id"] == "rid-1"


def test_a_line_the_level_drops_is_not_processed(capsys, monkeypatch):
    calls: list[str] = []
    stamp = structlog.processors.TimeStamper.__call__
    monkeypatch.setattr(
        structlog.processors.TimeStamper,
        "__call__",
        lambda self, logger, name, event: calls.append(event["event"]) or stamp(self, logger, name, event),
    )
    configure_logging("svc", level="WARNING", json=True)
    try:
        structlog.get_logger("access").info("dropped")
        structlog.get_logger("access").warning("kept")
    finally:
        logging.getLogger().handlers.clear()
    assert calls == ["kept"]
    assert [json.loads(line)["event"] for line in capsys.readouterr().out.splitlines()] == ["kept"]


async def test_request_id_middleware_writes_the_access_line_only_when_its_level_allows(capsys):
    from qhitz_shared.http.observability import RequestIdMiddleware

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 204, "headers": [(b"x-request-id", b"theirs")]})
        await send({"type": "http.response.body", "body": b""})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    middleware = RequestIdMiddleware(app)
    scope = {"type": "http", "method": "GET", "path": "/x", "headers": [(b"x-request-id", b"given-1")]}
    for level in ("WARNING", "INFO"):
        configure_logging("svc", level=level, json=True)
        try:
            await middleware(dict(scope), None, send)
        finally:
            logging.getLogger().handlers.clear()
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["event"], line["request_id"], line["status"]) for line in lines] == [("request", "given-1", 204)]
    assert [m["headers"] for m in sent if m["type"] == "http.response.start"] == [[(b"x-request-id", b"given-1")]] * 2
    assert structlog.contextvars.get_contextvars() == {}
