"""Real HTTP servers for tests: an app under uvicorn in a background thread, or a service as its own process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not become healthy in {timeout}s")


@contextmanager
def serve_app(app: object, port: int | None = None, **options: object) -> Iterator[str]:
    """Serve an ASGI app on 127.0.0.1 from a thread with its own event loop; yields the base URL. ``options`` go to
    uvicorn's Config (test servers otherwise keep uvicorn's defaults: loopback is a trusted proxy, standing in for
    the gateway)."""
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on", **options)  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class ServiceProcess:
    url: str
    process: subprocess.Popen
    log_path: Path

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")

    def logs_once(self, until: Callable[[str], bool], timeout: float = 10) -> str:
        """The log as soon as ``until`` holds for it: a request's access line is written after its answer went
        out, so it may not be there yet when the client has the answer."""
        deadline = time.monotonic() + timeout
        while not until(text := self.logs()):
            if time.monotonic() > deadline:
                raise AssertionError(f"the log never showed what was expected:\n{text[-3000:]}")
            time.sleep(0.02)
        return text


@contextmanager
def spawn_service(module: str, env: Mapping[str, str], port: int, log_dir: Path) -> Iterator[ServiceProcess]:
    """Run ``python -m module`` as its own process with ``env`` on top of ours; yields once /health answers."""
    log_path = log_dir / f"{module.replace('.', '_')}_{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", module],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process=process)
        yield ServiceProcess(url, process, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
