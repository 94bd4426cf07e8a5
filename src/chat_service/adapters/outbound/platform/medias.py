"""HttpMediaCatalog: asks medias_service whether an item can be played.

A media: ``GET {medias}/api/v1/media/{id}`` with the sharer's own access token (200: they may read it). A share
link: ``GET {medias}/api/v1/s/{token}`` without credentials (200: the link is valid; the members then stream
through the link, needing no access of their own).
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

import httpx

from chat_service.domain.errors import ItemNotPlayable
from chat_service.domain.playback import Item, ItemKind
from qhitz_shared.errors import DependencyUnavailableError

_REFUSED = {400, 401, 403, 404, 410, 422}


class HttpMediaCatalog:
    def __init__(self, base_url: str, http: httpx.AsyncClient) -> None:
        self._base = base_url.rstrip("/")
        self._http = http

    async def check_playable(self, item: Item, sharer_token: str) -> None:
        if item.kind is ItemKind.MEDIA:
            try:
                media_id = uuid.UUID(item.ref)
            except ValueError:
                raise ItemNotPlayable("A media item's ref is the media id") from None
            url, headers = f"{self._base}/api/v1/media/{media_id}", {"Authorization": f"Bearer {sharer_token}"}
        else:
            url, headers = f"{self._base}/api/v1/s/{quote(item.ref, safe='')}", {}
        try:
            # streamed and closed unread: a share link may answer with the file itself
            async with self._http.stream("GET", url, headers=headers, timeout=5) as response:
                status = response.status_code
        except httpx.HTTPError as exc:
            raise DependencyUnavailableError("medias_service did not answer") from exc
        if status in _REFUSED:
            raise ItemNotPlayable("The sharer cannot read this media, or the share link is not valid")
        if status >= 300:
            raise DependencyUnavailableError(f"medias_service answered {status}")
