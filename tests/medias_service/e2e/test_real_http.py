"""Over real HTTP, wired as in production: main_service and auth_service on loopback, user tokens from auth's
login, medias_service's service token from auth's client-credentials endpoint (the production ServiceTokenClient),
and medias_service under uvicorn. Also what only a real socket shows: a client vanishing mid-upload, and a body
refused from its announced length before any of it is read."""

from __future__ import annotations

import hashlib
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import msgspec
import pytest

from medias_service.main.app import create_http_app
from medias_service.main.settings import MediasSettings
from tests.medias_service.support import BOUNDARY, DatabaseProbe, multipart_body, multipart_headers, pdf_bytes
from tests.support.platform import Platform, bearer, register, run_platform
from tests.support.servers import serve_app
from tests.support.waiting import eventually


@pytest.fixture(scope="module")
def platform(main_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with run_platform(main_db_url, tmp_path_factory.mktemp("platform")) as running:
        yield running


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def medias_url(platform: Platform, medias_db_url: str, media_root: Path) -> Iterator[str]:
    client_id, secret = platform.service_client
    settings = MediasSettings.from_env(
        {
            "MEDIAS_DB_URL": medias_db_url,
            "MEDIAS_MAIN_URL": platform.main_url,
            "MEDIAS_STORAGE_LOCAL_ROOT": str(media_root),
            "MEDIAS_TRASH_PURGE_INTERVAL_SECONDS": "0",
            "AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/",  # no in-process processing of the shared database
            "SERVICE_AUTH_URL": platform.auth_url,
            "SERVICE_CLIENT_ID": client_id,
            "SERVICE_CLIENT_SECRET": secret,
        }
    )
    with serve_app(create_http_app(msgspec.structs.replace(settings, jwt=platform.jwt))) as url:
        yield url


@pytest.fixture
async def account(platform: Platform) -> dict:
    async with httpx.AsyncClient(base_url=platform.auth_url) as auth:
        return await register(auth)


async def test_upload_and_ranged_download_with_auth_service_tokens(medias_url, account):
    data = pdf_bytes(extra=3 * 1024 * 1024)
    payload = multipart_body(("big.pdf", "application/pdf", data), [("title", "Streamed")])

    async def body():
        for start in range(0, len(payload), 256 * 1024):
            yield payload[start : start + 256 * 1024]

    async with httpx.AsyncClient(base_url=medias_url, timeout=30) as http:
        response = await http.post("/api/v1/media", content=body(), headers=multipart_headers(account["access_token"]))
        assert response.status_code == 201, response.text
        media = response.json()
        assert media["sha256"] == hashlib.sha256(data).hexdigest()
        whole = await http.get(media["content_url"], headers=bearer(account["access_token"]))
        assert whole.content == data
        part = await http.get(
            media["content_url"], headers={**bearer(account["access_token"]), "Range": "bytes=1048000-1049999"}
        )
        assert part.status_code == 206
        assert part.content == data[1048000:1050000]
        assert (await http.get(media["content_url"])).status_code == 404  # private: not for anonymous callers


def raw_request(url: str, head: bytes, body: bytes = b"") -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)))
    sock.sendall(head + body)
    return sock


def head_for(token: str, length: int) -> bytes:
    return (
        f"POST /api/v1/media HTTP/1.1\r\nHost: medias\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


async def test_a_client_vanishing_mid_upload_leaves_nothing(medias_url, account, medias_db_url, media_root):
    before = {path for path in media_root.rglob("*") if path.is_file()}
    payload = multipart_body(("gone.pdf", "application/pdf", pdf_bytes(extra=8 * 1024 * 1024)))
    sent = 4 * 1024 * 1024
    sock = raw_request(medias_url, head_for(account["access_token"], len(payload)), payload[:sent])
    temp = media_root / "tmp"
    deadline = time.monotonic() + 20
    while not any(temp.glob("*.part")) and time.monotonic() < deadline:  # the upload reached storage
        time.sleep(0.02)
    assert any(temp.glob("*.part"))
    owner = uuid.UUID(jwt.decode(account["access_token"], options={"verify_signature": False})["sub"])
    probe = DatabaseProbe(medias_db_url)
    held = await probe.counts(owner)
    assert (held["reserved_bytes"], held["reservations"]) == (len(payload), 1)  # reserved before the body was read
    sock.close()
    deadline = time.monotonic() + 20
    while any(temp.glob("*.part")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(temp.glob("*.part"))
    assert {path for path in media_root.rglob("*") if path.is_file()} == before

    # the disconnect released the reservation
    counts = await eventually(
        lambda: probe.counts(owner), lambda c: (c["reserved_bytes"], c["reservations"]) == (0, 0), timeout=20
    )
    assert counts["media"] == counts["blobs"] == counts["used_bytes"] == 0


async def test_a_body_announced_too_long_is_refused_before_it_is_read(medias_url, account):
    # over the owner's 100 MB limit: file_too_large; over the service's 10 GiB ceiling: payload_too_large
    for length, code in ((500 * 1024 * 1024, b"file_too_large"), (50 * 1024**3, b"payload_too_large")):
        sock = raw_request(medias_url, head_for(account["access_token"], length))  # headers only, no body
        sock.settimeout(10)
        answer = b""
        while not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        sock.close()
        status_line, _, rest = answer.partition(b"\r\n")
        assert status_line.startswith(b"HTTP/1.1 413"), answer[:300]
        assert b'"code":"' + code + b'"' in rest
