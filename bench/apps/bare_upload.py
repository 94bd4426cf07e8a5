"""The baseline for bench/media_transfer.py: a bare Litestar handler streaming the request body to disk with
sha256, under uvicorn as a process like medias_service; ``?fsync=1`` also fsyncs the file before answering.

    uv run python bench/apps/bare_upload.py PORT DIRECTORY
"""

from __future__ import annotations

import hashlib
import os
import sys
import uuid
from pathlib import Path
from typing import Any

import uvicorn
from litestar import Litestar, Request, get, post


def create_app(directory: Path) -> Litestar:
    @post("/upload", request_max_body_size=None, status_code=201)
    async def upload(request: Request[Any, Any, Any]) -> dict[str, object]:
        sha = hashlib.sha256()
        size = 0
        target = directory / uuid.uuid4().hex
        with target.open("wb") as file:  # plain blocking writes: the simplest and cheapest way to disk
            async for chunk in request.stream():
                sha.update(chunk)
                file.write(chunk)
                size += len(chunk)
            if request.query_params.get("fsync") == "1":  # durable like medias_service's default
                file.flush()
                os.fsync(file.fileno())
        return {"size": size, "sha256": sha.hexdigest()}

    @get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return Litestar(route_handlers=[upload, health])


if __name__ == "__main__":
    port, directory = int(sys.argv[1]), Path(sys.argv[2])
    directory.mkdir(parents=True, exist_ok=True)
    uvicorn.run(create_app(directory), host="127.0.0.1", port=port, log_level="warning")
