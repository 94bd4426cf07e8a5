"""What the medias benchmarks share: main_service, auth_service and medias_service started as real processes
(uvicorn) on loopback, an account registered and logged in, and the curl multipart upload they compare against.
Imported by bench/media_transfer.py and bench/tus_upload.py (run them with ``uv run python bench/<name>.py``)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.servers import ServiceProcess, free_port, spawn_service

MIB = 1024 * 1024
PASSWORD = "Velvet-Orbit-Canyon-42"
FEATURES = {
    "features": {
        "user-registration": {"defaultValue": True},
        "media-max-upload-mb": {"defaultValue": 2048},
        "media-storage-quota-mb": {"defaultValue": 102400},
    }
}


@dataclass
class MediasPlatform:
    medias: ServiceProcess
    token: str
    media_root: Path

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_file(path: Path, size: int) -> None:
    """An MP4 header (so the sniffed type is allowed) followed by random bytes."""
    with path.open("wb") as file:
        file.write(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
        left = size - 24
        while left > 0:
            block = os.urandom(min(left, 8 * MIB))
            file.write(block)
            left -= len(block)


def upload(url: str, path: Path, token: str | None = None) -> tuple[dict[str, float], dict]:
    """POST the file as multipart with curl (streamed from disk); the timing and the JSON answer."""
    auth = ["-H", f"Authorization: Bearer {token}"] if token else []
    with tempfile.NamedTemporaryFile() as answer:
        out = subprocess.run(  # noqa: S603 -- curl on loopback, by design
            ["curl", "-sS", "-o", answer.name, "-w", "%{http_code} %{time_total} %{size_upload}", *auth,  # noqa: S607
             "-F", f"file=@{path};type=video/mp4", url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()  # fmt: skip
        body = json.loads(Path(answer.name).read_bytes() or b"{}")
    assert out[0] == "201", (out, body)
    return {"seconds": float(out[1]), "up": float(out[2])}, body


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, all its threads included."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def reset_peak(pid: int) -> int:
    """Resets the kernel's high-water mark VmHWM to the current RSS (KiB, returned)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return rss_kib(pid, "VmHWM")


@contextmanager
def running_platform(
    tmp: Path, main_db_url: str, medias_db_url: str, medias_extra: Mapping[str, str] | None = None
) -> Iterator[MediasPlatform]:
    """The three services on free loopback ports (local storage under ``tmp/media``, fsync on unless
    ``medias_extra`` says otherwise) and a logged-in account with 2 GiB uploads and a 100 GiB quota."""
    features = tmp / "features.json"
    features.write_text(json.dumps(FEATURES))
    ports = {name: free_port() for name in ("main", "auth", "medias")}
    secret = uuid.uuid4().hex * 2
    media_root = tmp / "media"
    common = {
        "APP_DATA_DIR": str(tmp / "data"),
        "APP_LOG_LEVEL": "WARNING",
        "JWT_JWKS_URL": f"http://127.0.0.1:{ports['auth']}/.well-known/jwks.json",
    }
    main_env = {**common, "MAIN_DB_URL": main_db_url, "MAIN_HTTP_PORT": str(ports["main"])}
    main_env["GROWTHBOOK_FEATURES_FILE"] = str(features)
    auth_env = {
        **common,
        "AUTH_HTTP_PORT": str(ports["auth"]),
        "AUTH_MAIN_URL": f"http://127.0.0.1:{ports['main']}",
        "AUTH_SERVICE_CLIENTS": f"medias_service:{secret}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "AUTH_RATE_KEY_PREFIX": f"qhitz-bench-{uuid.uuid4().hex[:8]}",
    }
    medias_env = {
        **common,
        "MEDIAS_HTTP_PORT": str(ports["medias"]),
        "MEDIAS_DB_URL": medias_db_url,
        "MEDIAS_MAIN_URL": f"http://127.0.0.1:{ports['main']}",
        "MEDIAS_STORAGE_LOCAL_ROOT": str(media_root),
        "SERVICE_AUTH_URL": f"http://127.0.0.1:{ports['auth']}",
        "SERVICE_CLIENT_ID": "medias_service",
        "SERVICE_CLIENT_SECRET": secret,
        **(medias_extra or {}),
    }
    with (
        spawn_service("main_service.main", main_env, ports["main"], tmp),
        spawn_service("auth_service.main", auth_env, ports["auth"], tmp) as auth_proc,
        spawn_service("medias_service.main", medias_env, ports["medias"], tmp) as medias_proc,
        httpx.Client(timeout=60) as http,
    ):
        suffix = uuid.uuid4().hex[:10]
        account = {"email": f"bench{suffix}@example.com", "username": f"bench{suffix}", "password": PASSWORD}
        http.post(f"{auth_proc.url}/api/v1/auth/register", json=account).raise_for_status()
        login = http.post(f"{auth_proc.url}/api/v1/auth/login", json=account)
        yield MediasPlatform(medias_proc, login.raise_for_status().json()["access_token"], media_root)
