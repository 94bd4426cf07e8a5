"""The tus 1.0.0 request headers, parsed and bounded: Tus-Resumable, Upload-Length, Upload-Offset,
Upload-Metadata (base64 values), Upload-Checksum."""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from collections.abc import Mapping
from typing import Annotated

from litestar.params import HeaderParameter

from medias_service.adapters.inbound.http.multipart import parse_boolean, parse_folder_id
from medias_service.domain.errors import (
    ChecksumMismatch,
    InvalidMediaData,
    InvalidUploadMetadata,
    TusProtocolError,
    TusVersionUnsupported,
)
from medias_service.domain.library import UploadMetadata
from medias_service.domain.resumable import UploadIntent
from medias_service.domain.tags import split_tags
from qhitz_shared.errors import PayloadTooLargeError
from qhitz_shared.text import NO_CONTROL_PATTERN

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,creation-with-upload,termination,expiration,checksum"
CHECKSUM_ALGORITHMS = ("sha256", "sha1")
OFFSET_OCTET_STREAM = "application/offset+octet-stream"
MAX_METADATA_HEADER = 8 * 1024
MAX_NUMBER = 2**53 - 1  # exact in every JSON number (the OpenAPI document), far above any upload
# Every key we read (others are ignored, as the protocol allows): Uppy and tus-js-client send name/filename and
# type/filetype.
_TEXT_KEYS = {"filename", "name", "filetype", "type", "title", "description", "tags", "is_public"}
_ID_KEYS = {"media_id", "folder_id"}


# The headers as the route handlers declare them: bounded, in the OpenAPI document, checked before the handler.
TusResumable = Annotated[
    str,
    HeaderParameter(
        name="Tus-Resumable",
        max_length=16,
        pattern=NO_CONTROL_PATTERN,
        schema_extra={"enum": [TUS_VERSION]},
        description=f"{TUS_VERSION}; another version is answered 412",
    ),
]
UploadLength = Annotated[int, HeaderParameter(name="Upload-Length", ge=0, le=MAX_NUMBER, description="bytes")]
UploadOffset = Annotated[int, HeaderParameter(name="Upload-Offset", ge=0, le=MAX_NUMBER, description="bytes")]
# Optional headers are typed str with "" for absent: `str | None` would be documented as nullable, and a client
# (schemathesis does) may then send the text "null".
MetadataHeader = Annotated[
    str,
    HeaderParameter(
        name="Upload-Metadata",
        required=False,
        max_length=MAX_METADATA_HEADER,
        pattern=r"^[\x20-\x7e]*$",
        description="comma-separated `key base64(value)`: filename, filetype, title, description, tags "
        "(comma-separated), is_public, media_id (a new version of that media), folder_id",
    ),
]
UploadChecksum = Annotated[
    str,
    HeaderParameter(
        name="Upload-Checksum",
        required=False,
        max_length=128,
        pattern=r"^((sha256|sha1) [A-Za-z0-9+/]+={0,2})?$",
        description="`<algorithm> <base64 digest>` of this request's bytes; a mismatch is answered 460",
    ),
]


def require_version(value: str) -> None:
    if value != TUS_VERSION:
        raise TusVersionUnsupported(f"Send Tus-Resumable: {TUS_VERSION}", tus_version=TUS_VERSION)


def checksum(raw: str) -> tuple[str, bytes] | None:
    """Upload-Checksum: ``<algorithm> <base64 digest>``; a digest that cannot be right is a mismatch (460)."""
    if not raw:
        return None
    algorithm, _, encoded = raw.strip().partition(" ")
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise TusProtocolError(
            f"Upload-Checksum uses one of {', '.join(CHECKSUM_ALGORITHMS)}", header="Upload-Checksum"
        )
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        digest = b""
    if len(digest) != hashlib.new(algorithm).digest_size:
        raise ChecksumMismatch(f"Upload-Checksum is not a base64 {algorithm} digest")
    return algorithm, digest


def metadata(raw: str) -> dict[str, str]:
    """Upload-Metadata: comma-separated ``key base64value`` pairs (a value may be absent), UTF-8 values
    (InvalidUploadMetadata)."""
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in (raw or "").split(","))):
        key, _, encoded = item.partition(" ")
        if key in pairs:
            raise InvalidUploadMetadata(f"Upload-Metadata repeats {key!r}", field="Upload-Metadata")
        try:
            pairs[key] = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise InvalidUploadMetadata(f"{key!r} is not base64 of UTF-8", field="Upload-Metadata") from None
    return {key: value for key, value in pairs.items() if key in _TEXT_KEYS | _ID_KEYS}


def intent(pairs: Mapping[str, str]) -> UploadIntent:
    """What the metadata asks for; texts are checked by the domain's rules when the upload is created."""

    def identifier(key: str) -> uuid.UUID | None:
        if key not in pairs:
            return None
        try:
            return uuid.UUID(pairs[key])
        except ValueError:
            raise InvalidMediaData(f"{key} is a UUID", field=key) from None

    tags = pairs.get("tags")
    return UploadIntent(
        metadata=UploadMetadata(
            title=pairs.get("title"),
            description=pairs.get("description"),
            tags=split_tags([tags]) if tags is not None else None,
            is_public=parse_boolean(pairs.get("is_public")),
            folder_id=parse_folder_id(pairs.get("folder_id")),
        ),
        filename=pairs.get("filename", pairs.get("name")),
        declared_type=pairs.get("filetype", pairs.get("type")),
        media_id=identifier("media_id"),
    )


class UploadTooLarge(PayloadTooLargeError):
    code = "upload_too_large"
    title = "Upload-Length is over Tus-Max-Size"
