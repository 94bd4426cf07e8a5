"""medias_service as studio_service needs it: whether a caller can read a media, and uploads of outputs."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Protocol


class MediaAccess(Protocol):
    async def readable(self, media_id: uuid.UUID, authorization: str) -> bool:
        """Whether the caller whose ``Authorization`` header this is can read the media (asked of medias_service
        with that header). Raises DependencyUnavailableError when medias_service cannot answer."""
        ...


class MediaUploader(Protocol):
    async def upload(self, owner_id: uuid.UUID, path: Path, filename: str, title: str) -> uuid.UUID:
        """Upload a generated file into ``owner_id``'s library (a service token, on the owner's behalf); returns
        the new media's id. Raises DependencyUnavailableError when medias_service cannot take it."""
        ...
