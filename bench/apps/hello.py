"""The baseline of bench/hot_paths.py: a bare Litestar hello, served by the same server setup as the services
(qhitz_shared.http.serve.run_server) and logging setup, with nothing else: no middleware, no database.

    uv run python bench/apps/hello.py PORT
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from litestar import Litestar, get

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from qhitz_shared.http.observability import configure_logging
from qhitz_shared.http.serve import run_server


@get("/")
async def hello() -> dict[str, str]:
    return {"hello": "world"}


@get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


app = Litestar([hello, health])

if __name__ == "__main__":
    configure_logging("hello", level=os.environ.get("APP_LOG_LEVEL", "WARNING"))  # as the services log
    run_server(app, "127.0.0.1", int(sys.argv[1]))
