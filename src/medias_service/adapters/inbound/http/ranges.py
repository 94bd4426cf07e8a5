"""HTTP range requests and conditional GETs (RFC 9110 §13-14), which Litestar does not provide."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

_RANGE = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$", re.ASCII)
_MAX_DIGITS = 19
_HUGE = 10**_MAX_DIGITS


@dataclass(frozen=True, slots=True)
class ByteRange:
    start: int
    end: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


class RangeNotSatisfiable(Exception):
    """A well-formed range that selects nothing of the representation: 416."""


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The one range to serve, or None for the whole representation.

    Served whole (the RFC lets a server ignore Range): no header, another unit, malformed syntax, several ranges.
    ``a-b`` (b clamped to the end), ``a-`` and ``-n`` (the last n bytes) are honoured; a first byte at or past
    the end, or a suffix of 0, raises RangeNotSatisfiable.
    """
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    match = _RANGE.match(spec)
    if not match or match.group(1) == match.group(2) == "":
        return None
    first, last = _position(match.group(1)), _position(match.group(2))
    if first is None:
        suffix = last or 0
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return ByteRange(max(size - suffix, 0), size - 1)
    if last is not None and last < first:
        return None  # invalid: ignored
    end = last if last is not None else size - 1
    if first >= size:
        raise RangeNotSatisfiable
    return ByteRange(first, min(end, size - 1))


def _position(digits: str) -> int | None:
    """A byte position; any count of digits is valid (RFC 9110 §14.1.2), and one past every real size is as good
    as its exact value, which Python would refuse to parse past 4300 digits."""
    if not digits:
        return None
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= _MAX_DIGITS else _HUGE


def etag_for(sha256: str) -> str:
    return f'"{sha256}"'


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def _parse_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):  # an unreadable date is ignored (RFC 9110)
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _seconds(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str, modified: datetime) -> bool:
    """304? If-None-Match (weak comparison) wins over If-Modified-Since, which is only read without it."""
    if if_none_match is not None:
        tags = [tag.strip() for tag in if_none_match.split(",")]
        return "*" in tags or etag in (tag.removeprefix("W/") for tag in tags)
    if if_modified_since:
        since = _parse_date(if_modified_since)
        return since is not None and _seconds(modified) <= since
    return False


def range_applies(if_range: str | None, etag: str, modified: datetime) -> bool:
    """If-Range: the range is served only if the representation is still the one named (strong comparison)."""
    if not if_range:
        return True
    value = if_range.strip()
    if value.startswith(('"', "W/")):
        return value == etag
    moment = _parse_date(value)
    return moment is not None and _seconds(modified) == moment
