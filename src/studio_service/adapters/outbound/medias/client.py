"""medias_service over HTTP: can the caller read a media (their own token passed on), and uploads of outputs
on the owner's behalf (POST /internal/v1/media?owner_id=, with studio_service's service token)."""

from __future__ import annotations

import mimetypes
import uuid
from pathlib import Path

import anyio
import httpx
import msgspec

from qhitz_shared.errors import DependencyUnavailableError
from qhitz_shared.ports import ServiceTokenSource


class _Created(msgspec.Struct):
    id: uuid.UUID


class HttpMediaAccess:
    def __init__(self, base_url: str, http: httpx.AsyncClient) -> None:
        self._base = base_url.rstrip("/")
        self._http = http

    async def readable(self, media_id: uuid.UUID, authorization: str) -> bool:
        try:
            response = await self._http.get(
                f"{self._base}/api/v1/media/{media_id}", headers={"Authorization": authorization}, timeout=5
            )
        except httpx.HTTPError as exc:
            raise DependencyUnavailableError("medias_service did not answer") from exc
        if response.status_code == 200:
            return True
        if response.status_code in (401, 403, 404):
            return False
        raise DependencyUnavailableError(f"medias_service answered {response.status_code}")


class HttpMediaUploader:
    """A rejected service token (401) is dropped and the upload retried once."""

    def __init__(self, base_url: str, http: httpx.AsyncClient, tokens: ServiceTokenSource) -> None:
        self._base = base_url.rstrip("/")
        self._http = http
        self._tokens = tokens

    async def upload(self, owner_id: uuid.UUID, path: Path, filename: str, title: str) -> uuid.UUID:
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        data = await anyio.Path(path).read_bytes()  # outputs are small (a card, seconds of video or speech)
        for attempt in (1, 2):
            token = await self._tokens.token()
            try:
                response = await self._http.post(
                    f"{self._base}/internal/v1/media/",
                    params={"owner_id": str(owner_id)},
                    files={"file": (filename, data, content_type)},
                    data={"title": title, "tags": "studio"},
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=60,
                )
            except httpx.HTTPError as exc:
                raise DependencyUnavailableError("medias_service did not take the output") from exc
            if response.status_code == 401 and attempt == 1:
                self._tokens.forget()
                continue
            if response.status_code != 201:
                raise DependencyUnavailableError(
                    f"medias_service answered {response.status_code} to the output upload: {response.text[:200]}"
                )
            return msgspec.json.decode(response.content, type=_Created).id
        raise DependencyUnavailableError("medias_service refused our service token")
