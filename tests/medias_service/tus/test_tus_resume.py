"""An upload interrupted half-way (the tuspy client process killed in the middle of a request) is resumed by a
new client from the server's offset and ends byte-exact: 500 MB on the local disk, a smaller one on S3."""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.medias_service.support import png_bytes
from tests.medias_service.tus.conftest import tus_client, write_file

MIB = 1024 * 1024


def _kill_half_way(url: str, token: str, path: Path, chunk: int, size: int) -> str:
    """Runs the client process until the server has at least half of the file, kills it; the upload's URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.medias_service.tus.client_process", f"{url}/api/v1/uploads", token, str(path),
         str(chunk)],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        upload_url = process.stdout.readline().strip()
        assert upload_url.startswith(url), upload_url
        headers = {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0"}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            offset = int(httpx.head(upload_url, headers=headers).headers["upload-offset"])
            if offset >= size // 2:
                break
            time.sleep(0.02)
        process.kill()
        process.wait(10)
    finally:
        process.kill()
    return upload_url


async def _sha256_of_content(url: str, user, content_url: str) -> str:
    sha = hashlib.sha256()
    async with (
        httpx.AsyncClient(base_url=url, headers=user.headers, timeout=120) as http,
        http.stream("GET", content_url) as response,
    ):
        assert response.status_code == 200
        async for chunk in response.aiter_bytes(MIB):
            sha.update(chunk)
    return sha.hexdigest()


async def _resume_killed_upload(tus_url, user, tmp_path: Path, size: int, chunk: int) -> None:
    path = tmp_path / "big.png"
    expected = write_file(path, png_bytes(extra=1000), size)
    upload_url = await asyncio.to_thread(_kill_half_way, tus_url, user.token, path, chunk, size)
    async with httpx.AsyncClient(headers={**user.headers, "Tus-Resumable": "1.0.0"}) as http:
        left_at = int((await http.head(upload_url)).headers["upload-offset"])
    assert size // 2 <= left_at < size

    # The killed client's last request may still be ending on the server (it keeps the bytes that arrived):
    # meanwhile a PATCH is refused (409) and tuspy asks for the offset again and retries, as a client should.
    resumed = tus_client(tus_url, user.token).uploader(
        str(path), url=upload_url, chunk_size=chunk, retries=5, retry_delay=1
    )
    assert resumed.offset >= left_at  # the new client asked the server where to go on
    await asyncio.to_thread(resumed.upload)

    async with httpx.AsyncClient(base_url=tus_url, headers=user.headers) as http:
        state = (await http.get(upload_url)).json()
        media = (await http.get(state["media_url"])).json()
    assert (state["offset"], media["size"], media["sha256"]) == (size, size, expected)
    assert await _sha256_of_content(tus_url, user, media["content_url"]) == expected


@pytest.mark.parametrize("backend", ["local"])
async def test_killed_client_resumes_a_500_mb_upload_on_the_local_disk(backend, tus_url, make_user, tmp_path):
    user = await make_user(domain="big.test")
    await _resume_killed_upload(tus_url, user, tmp_path, 500 * 1024 * 1024, 64 * MIB)


@pytest.mark.parametrize("backend", ["s3"])
async def test_killed_client_resumes_an_upload_on_s3(backend, tus_url, make_user, tmp_path):
    user = await make_user(domain="big.test")
    await _resume_killed_upload(tus_url, user, tmp_path, 23 * MIB + 4321, 3 * MIB)
