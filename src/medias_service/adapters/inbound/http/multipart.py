"""MultipartUploadSource: multipart/form-data read from the request stream with the `multipart` push parser,
so the file's bytes go to storage as they arrive instead of into a temp file first."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

from litestar import Request
from litestar.exceptions import InternalServerException
from multipart import MultipartError, MultipartSegment, PushMultipartParser

from medias_service.domain.errors import (
    InvalidMediaData,
    MalformedUpload,
    MissingFilePart,
    UnsupportedMediaType,
    UploadIncomplete,
)
from medias_service.domain.library import UploadMetadata
from medias_service.domain.tags import split_tags
from qhitz_shared.errors import PayloadTooLargeError

FILE_FIELD = "file"
MAX_FIELD_BYTES = 16 * 1024
MAX_FORM_BYTES = 32 * 1024  # every field but the file, together; well under the limits' overhead allowance
BATCH_BYTES = 256 * 1024
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}
_END: Any = object()


class RequestTooLarge(PayloadTooLargeError):
    code = "payload_too_large"
    title = "The request body is too large"


class MultipartUploadSource:
    """An ``UploadSource``: ``of`` checks the request without reading it, ``start`` reads up to the file part's
    headers, ``chunks`` yields the file's bytes, ``finish`` reads what follows. Form fields may come before or
    after the file."""

    def __init__(self, request: Request[Any, Any, Any], boundary: str, max_body_bytes: int) -> None:
        self._request = request
        self._max_body = max_body_bytes
        self._parser = PushMultipartParser(boundary, max_header_count=8, max_segment_count=32)
        self._events = self._parse()
        self._fields: dict[str, list[str]] = {}
        self._form_bytes = 0
        self.filename: str | None = None
        self.declared_type: str | None = None
        self.body_length = request.content_length

    @classmethod
    def of(cls, request: Request[Any, Any, Any], max_body_bytes: int) -> MultipartUploadSource:
        """``max_body_bytes`` bounds the whole body (the owner's own, smaller limit is the use case's)."""
        media_type, options = request.content_type
        if media_type != "multipart/form-data" or not options.get("boundary"):
            raise UnsupportedMediaType("Send the upload as multipart/form-data with a 'file' part")
        if (request.content_length or 0) > max_body_bytes:
            raise RequestTooLarge(f"A request body has at most {max_body_bytes} bytes")
        return cls(request, options["boundary"], max_body_bytes)

    async def start(self) -> None:
        await self._read_fields(until_file=True)

    async def _parse(self) -> AsyncIterator[MultipartSegment | bytes | None]:
        # The server hands the body over in small pieces (often 64 KiB); parsing and passing on larger batches
        # costs one copy and saves most of the per-chunk work of every layer downstream.
        received = 0
        batch: list[bytes] = []
        batched = 0
        try:
            async for chunk in self._request.stream():
                received += len(chunk)
                if received > self._max_body:
                    raise RequestTooLarge(f"A request body has at most {self._max_body} bytes")
                batch.append(chunk)
                batched += len(chunk)
                if batched >= BATCH_BYTES:
                    for event in self._parser.parse(b"".join(batch)):
                        yield event
                    batch, batched = [], 0
            if batched:
                for event in self._parser.parse(b"".join(batch)):
                    yield event
            self._parser.close()
        except MultipartError as exc:
            if "Unexpected end" in str(exc):
                raise UploadIncomplete("The multipart body ended before its closing boundary") from exc
            raise MalformedUpload(f"The multipart body cannot be read: {exc}") from exc
        except InternalServerException as exc:  # Litestar's answer to a client that disconnected mid-body
            raise UploadIncomplete("The client disconnected before the whole body arrived") from exc

    async def _read_fields(self, *, until_file: bool) -> None:
        name: str | None = None
        value = bytearray()
        while (event := await anext(self._events, _END)) is not _END:
            if isinstance(event, MultipartSegment):
                if event.name == FILE_FIELD:
                    if not until_file:
                        raise MalformedUpload("The form has more than one 'file' part")
                    self.filename, self.declared_type = event.filename, event.content_type
                    return
                name, value = event.name or "", bytearray()
            elif event is None:
                self._keep(name or "", bytes(value))
            else:
                value += event
                self._form_bytes += len(event)
                if len(value) > MAX_FIELD_BYTES or self._form_bytes > MAX_FORM_BYTES:
                    raise MalformedUpload("The form fields are too long")
        if until_file:
            raise MissingFilePart("The form has no 'file' part")

    def _keep(self, name: str, raw: bytes) -> None:
        try:
            self._fields.setdefault(name, []).append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise InvalidMediaData(f"The field {name!r} is not UTF-8 text", field=name) from None

    async def chunks(self) -> AsyncIterator[bytes]:
        while (event := await anext(self._events, _END)) is not _END:
            if event is None:
                return
            yield event
        raise UploadIncomplete("The body ended inside the file part")

    async def finish(self) -> UploadMetadata:
        await self._read_fields(until_file=False)
        fields = self._fields

        def last(name: str) -> str | None:
            return fields[name][-1] if fields.get(name) else None

        return UploadMetadata(
            title=last("title"),
            description=last("description"),
            tags=split_tags(fields["tags"]) if "tags" in fields else None,
            is_public=parse_boolean(last("is_public")),
            folder_id=parse_folder_id(last("folder_id")),
        )


def parse_folder_id(raw: str | None) -> uuid.UUID | None:
    if raw is None or not raw.strip():
        return None
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        raise InvalidMediaData("folder_id is a folder's id", field="folder_id") from None


def parse_boolean(raw: str | None) -> bool | None:
    if raw is None:
        return None
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidMediaData("is_public is true or false", field="is_public")
