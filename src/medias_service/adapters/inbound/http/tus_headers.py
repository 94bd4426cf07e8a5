"""The tus 1.0.0 request headers, parsed and bounded: Tus-Resumable, Upload-Length, Upload-Offset,
Upload-Metadata (base64 values), Upload-Checksum."""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from collections.abc import Mapping

from medias_service.adapters.inbound.http.multipart import parse_boolean
from medias_service.domain.errors import InvalidMediaData, TusProtocolError, TusVersionUnsupported
from medias_service.domain.library import UploadMetadata
from medias_service.domain.resumable import UploadIntent
from medias_service.domain.tags import split_tags
from qhitz_shared.errors import PayloadTooLargeError

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,creation-with-upload,termination,expiration,checksum"
CHECKSUM_ALGORITHMS = ("sha256", "sha1")
OFFSET_OCTET_STREAM = "application/offset+octet-stream"
MAX_METADATA_HEADER = 8 * 1024
MAX_NUMBER = 2**63 - 1
# Every key we read (others are ignored, as the protocol allows): Uppy and tus-js-client send name/filename and
# type/filetype.
_TEXT_KEYS = {"filename", "name", "filetype", "type", "title", "description", "tags", "is_public"}
_ID_KEYS = {"media_id", "folder_id"}


def require_version(headers: Mapping[str, str]) -> None:
    if headers.get("tus-resumable") != TUS_VERSION:
        raise TusVersionUnsupported(f"Send Tus-Resumable: {TUS_VERSION}", tus_version=TUS_VERSION)


def number(headers: Mapping[str, str], name: str) -> int:
    """A non-negative integer header (TusProtocolError when missing or not one)."""
    raw = headers.get(name.lower())
    if raw is None or not raw.isdigit() or len(raw) > 19 or int(raw) > MAX_NUMBER:
        raise TusProtocolError(f"{name} must be a non-negative integer", header=name)
    return int(raw)


def optional_length(headers: Mapping[str, str]) -> int | None:
    return number(headers, "Content-Length") if "content-length" in headers else None


def checksum(headers: Mapping[str, str]) -> tuple[str, bytes] | None:
    """Upload-Checksum: ``<algorithm> <base64 digest>``, for one of ``CHECKSUM_ALGORITHMS``."""
    raw = headers.get("upload-checksum")
    if raw is None:
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
        raise TusProtocolError("Upload-Checksum carries a base64 digest", header="Upload-Checksum")
    return algorithm, digest


def metadata(headers: Mapping[str, str]) -> dict[str, str]:
    """Upload-Metadata: comma-separated ``key base64value`` pairs (a value may be absent), UTF-8 values."""
    raw = headers.get("upload-metadata", "")
    if len(raw) > MAX_METADATA_HEADER:
        raise TusProtocolError(f"Upload-Metadata has at most {MAX_METADATA_HEADER} bytes", header="Upload-Metadata")
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        key, _, encoded = item.partition(" ")
        if key in pairs:
            raise TusProtocolError(f"Upload-Metadata repeats {key!r}", header="Upload-Metadata")
        try:
            pairs[key] = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise TusProtocolError(
                f"Upload-Metadata {key!r} is not base64 of UTF-8", header="Upload-Metadata"
            ) from None
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
        ),
        filename=pairs.get("filename", pairs.get("name")),
        declared_type=pairs.get("filetype", pairs.get("type")),
        media_id=identifier("media_id"),
        folder_id=identifier("folder_id"),
    )


class UploadTooLarge(PayloadTooLargeError):
    code = "upload_too_large"
    title = "Upload-Length is over Tus-Max-Size"
