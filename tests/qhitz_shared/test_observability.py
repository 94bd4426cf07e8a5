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
