"""An incoming upload as the use cases see it: one file streamed once, plus form fields."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from medias_service.domain.library import UploadMetadata


class UploadSource(Protocol):
    body_length: int | None
    """The whole request's announced length (file plus form overhead), when known before reading anything."""
    filename: str | None
    """As the client sent it, known after ``start``: untrusted."""
    declared_type: str | None
    """The client's Content-Type for the file, known after ``start``: untrusted."""

    async def start(self) -> None:
        """Read the body up to the file's first byte (MissingFilePart when there is no file)."""
        ...

    def chunks(self) -> AsyncIterator[bytes]:
        """The file's bytes as they arrive; can be consumed once."""
        ...

    async def finish(self) -> UploadMetadata:
        """After the file: read the rest of the body and return every form field, wherever it was placed."""
        ...
