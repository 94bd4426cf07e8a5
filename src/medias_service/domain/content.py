"""Content types come from the bytes, never from the client: sniffing, kinds, the allow-list, active types."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass

import puremagic

from medias_service.domain.brands import sniff_iso_media
from medias_service.domain.charsets import detect_charset
from medias_service.domain.errors import ContentTypeMismatch, UnsupportedMediaType
from medias_service.domain.media import MediaKind

SNIFF_BYTES = 8192
OCTET_STREAM = "application/octet-stream"

# Types a browser would execute or render as a document: always served as attachments, never trusted from a label.
ACTIVE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "application/xml",
        "text/xml",
        "text/javascript",
        "application/javascript",
    }
)
_INLINE_PREFIXES = ("image/", "video/", "audio/")
_DOCUMENT_TYPES = frozenset(
    {
        "application/pdf",
        "application/rtf",
        "application/json",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/epub+zip",
    }
)
# puremagic's names mapped to the registered ones we store.
_ALIASES = {
    "audio/wave": "audio/wav",
    "audio/x-wav": "audio/wav",
    "audio/vnd.wave": "audio/wav",
    "application/ogg": "audio/ogg",
    "audio/x-flac": "audio/flac",
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "video/x-matroska": "video/x-matroska",
    "application/x-matroska": "video/x-matroska",
}
_ZIP_MAGIC = b"PK\x03\x04"
_MARKUP = (
    (b"<!doctype html", "text/html"),
    (b"<html", "text/html"),
    (b"<head", "text/html"),
    (b"<body", "text/html"),
    (b"<script", "text/html"),
    (b"<iframe", "text/html"),
    (b"<!--", "text/html"),
    (b"<svg", "image/svg+xml"),
    (b"<!doctype svg", "image/svg+xml"),
)


def _sniff_markup(head: bytes) -> str | None:
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(b"<?xml"):
        return "image/svg+xml" if b"<svg" in text else "application/xml"
    for prefix, content_type in _MARKUP:
        if text.startswith(prefix):
            return content_type
    return None


def sniff(head: bytes) -> str:
    """The content type of a file from its first bytes (``SNIFF_BYTES`` or the whole file if shorter); a text's
    carries the charset it is written in: ``text/plain; charset=windows-1252``."""
    markup = _sniff_markup(head)
    if markup:
        return markup
    if head.startswith(_ZIP_MAGIC):
        return "application/zip"  # Office files are zips too; the head alone cannot tell them apart
    iso_media = sniff_iso_media(head)  # before puremagic, which names every ISO media file video/mp4
    if iso_media:
        return iso_media
    try:
        found = puremagic.from_string(head, mime=True)
    except puremagic.PureError:
        found = ""
    if found and found != "text/plain":  # puremagic knows text only by a BOM: the encoding is ours to name
        return _ALIASES.get(found, found)
    charset = detect_charset(head)
    return f"text/plain; charset={charset}" if charset else OCTET_STREAM


def base_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def kind_of(content_type: str) -> MediaKind:
    if content_type.startswith("image/"):
        return MediaKind.IMAGE
    if content_type.startswith("video/"):
        return MediaKind.VIDEO
    if content_type.startswith("audio/"):
        return MediaKind.AUDIO
    if content_type in _DOCUMENT_TYPES or content_type.startswith("text/"):
        return MediaKind.DOCUMENT
    return MediaKind.OTHER


def is_active(content_type: str) -> bool:
    return content_type in ACTIVE_TYPES


def serves_inline(content_type: str) -> bool:
    """Images, video, audio and PDF display in the browser; everything else downloads."""
    if is_active(content_type):
        return False
    return content_type.startswith(_INLINE_PREFIXES) or content_type == "application/pdf"


@dataclass(frozen=True, slots=True)
class ContentPolicy:
    """The allow-list (patterns such as ``image/*``) and the rule for declared types that contradict the bytes."""

    allowed: Sequence[str]

    def accept(self, sniffed: str, declared: str | None) -> str:
        """The type to store: the sniffed one. A label hiding active content is refused; others are corrected.
        The allow-list applies to the type without its parameters (``text/plain`` for any charset)."""
        declared = base_type(declared)
        if is_active(sniffed) and declared not in ("", OCTET_STREAM, sniffed):
            raise ContentTypeMismatch(
                f"The content is {sniffed}, not {declared}", sniffed_type=sniffed, declared_type=declared
            )
        if not any(fnmatch.fnmatchcase(base_type(sniffed), pattern.strip().lower()) for pattern in self.allowed):
            raise UnsupportedMediaType(f"Content of type {sniffed} is not accepted", sniffed_type=sniffed)
        return sniffed
