"""An incoming upload as the use cases see it: one file streamed once, plus form fields."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from medias_service.domain.library import UploadMetadata


class UploadSource(Protocol):
    filename: str | None
    """As the client sent it: untrusted."""
    declared_type: str | None
    """The client's Content-Type for the file: untrusted."""
    body_length: int | None
    """The whole request's announced length (file plus form overhead), when known."""

    def chunks(self) -> AsyncIterator[bytes]:
        """The file's bytes as they arrive; can be consumed once."""
        ...

    async def finish(self) -> UploadMetadata:
        """After the file: read the rest of the body and return every form field, wherever it was placed."""
        ...
