"""Range parsing and the conditional-request rules."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from medias_service.adapters.inbound.http.ranges import (
    ByteRange,
    RangeNotSatisfiable,
    http_date,
    not_modified,
    parse_range,
    range_applies,
)

SIZE = 1000


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-0", ByteRange(0, 0)),
        ("bytes=0-499", ByteRange(0, 499)),
        ("bytes=500-", ByteRange(500, 999)),
        ("bytes=-1", ByteRange(999, 999)),
        ("bytes=-5000", ByteRange(0, 999)),
        ("bytes=990-5000", ByteRange(990, 999)),
        ("BYTES = 1 - 2", ByteRange(1, 2)),
        ("bytes=999-999", ByteRange(999, 999)),
        (f"bytes=0-{'9' * 5000}", ByteRange(0, 999)),  # past Python's 4300-digit int limit: clamped, not a 500
        (f"bytes=-{'9' * 5000}", ByteRange(0, 999)),
        ("bytes=000000000000000000000000001-2", ByteRange(1, 2)),
    ],
)
def test_satisfiable(header, expected):
    assert parse_range(header, SIZE) == expected


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "bytes=5-1",
        "bytes=2000000000000000000-1000000000000000000",  # a last before the first, however long (19 digits)
        "lines=0-1",
        "bytes=a-b",
        "bytes=-",
        "bytes=0-1,3-4",
        # trailing or leading garbage: malformed, so the whole file is served, never a guessed range
        "bytes=5-10x",
        "bytes=5-10 x",
        "bytes=x5-10",
        "bytes=5x-10",
        "bytes=-5x",
        "bytes 5-10",
        "bytes=5--10",
        "bytes=+5-10",
        "bytes=\u0661-\u0662",
    ],
)
def test_ignored(header):
    assert parse_range(header, SIZE) is None


@pytest.mark.parametrize(
    ("header", "size"),
    [("bytes=1000-", SIZE), ("bytes=1000-2000", SIZE), ("bytes=-0", SIZE), (f"bytes={'9' * 5000}-", SIZE)],
)
def test_unsatisfiable(header, size):
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, size)


def test_tiny_and_empty_files():
    assert parse_range("bytes=-1", 1) == ByteRange(0, 0)
    assert parse_range("bytes=-5", 1) == ByteRange(0, 0)
    assert parse_range("bytes=0-", 1) == ByteRange(0, 0)
    for header in ("bytes=-1", "bytes=0-", "bytes=0-0"):
        with pytest.raises(RangeNotSatisfiable):
            parse_range(header, 0)


def test_content_range_and_length():
    byte_range = ByteRange(10, 19)
    assert byte_range.length == 10
    assert byte_range.content_range(SIZE) == "bytes 10-19/1000"


MODIFIED = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
ETAG = '"abc"'


def test_not_modified():
    assert not_modified('"abc"', None, ETAG, MODIFIED)
    assert not_modified('W/"abc"', None, ETAG, MODIFIED)
    assert not_modified('"x", "abc"', None, ETAG, MODIFIED)
    assert not_modified('"x","abc"', None, ETAG, MODIFIED)
    assert not not_modified('"x" "abc"', None, ETAG, MODIFIED)  # a list is comma-separated
    assert not_modified("*", None, ETAG, MODIFIED)
    assert not not_modified('"x"', http_date(MODIFIED), ETAG, MODIFIED)  # If-None-Match wins
    assert not_modified(None, http_date(MODIFIED), ETAG, MODIFIED)  # sub-second precision is dropped
    assert not not_modified(None, http_date(MODIFIED - timedelta(seconds=1)), ETAG, MODIFIED)
    assert not not_modified(None, "not a date", ETAG, MODIFIED)
    assert not not_modified(None, "0, 1 Jan 99999999999999 0:0:0", ETAG, MODIFIED)  # OverflowError: ignored
    assert not range_applies("Mon, 99 Nov 9999999999 00:00:00 GMT", ETAG, MODIFIED)
    assert not not_modified(None, None, ETAG, MODIFIED)


def test_if_range():
    assert range_applies(None, ETAG, MODIFIED)
    assert range_applies('"abc"', ETAG, MODIFIED)
    assert not range_applies('W/"abc"', ETAG, MODIFIED)  # strong comparison only
    assert not range_applies('"other"', ETAG, MODIFIED)
    assert range_applies(http_date(MODIFIED), ETAG, MODIFIED)
    assert not range_applies(http_date(MODIFIED + timedelta(seconds=1)), ETAG, MODIFIED)
    assert not range_applies("garbage", ETAG, MODIFIED)
    # the same instant written with an offset, or as -0000 (no zone: read as UTC)
    assert range_applies("Fri, 02 Jan 2026 04:04:05 +0100", ETAG, MODIFIED)
    assert range_applies("Fri, 02 Jan 2026 03:04:05 -0000", ETAG, MODIFIED)
    assert not range_applies("Fri, 02 Jan 2026 03:04:05 +0100", ETAG, MODIFIED)


@pytest.fixture
def server_in_new_york(monkeypatch):
    """The dates must not depend on the server's local time zone."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("server_in_new_york")
def test_http_dates_are_imf_fixdate_in_gmt():
    assert http_date(MODIFIED) == "Fri, 02 Jan 2026 03:04:05 GMT"
    assert http_date(MODIFIED.astimezone(timezone(timedelta(hours=-5)))) == "Fri, 02 Jan 2026 03:04:05 GMT"
    assert not_modified(None, "Fri, 02 Jan 2026 03:04:05 -0000", ETAG, MODIFIED)
