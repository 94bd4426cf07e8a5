"""HTTP Range and conditional GETs on both storage adapters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from tests.medias_service.support import multipart_body, multipart_headers, png_bytes

pytestmark = pytest.mark.usefixtures("storage_backend")


@pytest.fixture
async def stored(client, make_user):
    user = await make_user()
    data = png_bytes(extra=1024 * 1024 + 333)  # spans two storage reads
    response = await client.post(
        "/api/v1/media", content=multipart_body(("p.png", "image/png", data)), headers=multipart_headers(user.token)
    )
    assert response.status_code == 201, response.text
    return user, response.json(), data


SATISFIABLE = [
    ("bytes=0-0", 0, 0),
    ("bytes=0-99", 0, 99),
    ("bytes=1048570-1048600", 1048570, 1048600),  # across a storage block boundary
    ("bytes=100-", 100, None),
    ("bytes=-500", -500, None),
    ("bytes=5-999999999", 5, None),  # end clamped
]


async def test_satisfiable_ranges(client, stored):
    user, doc, data = stored
    size = len(data)
    for header, start, end in SATISFIABLE:
        response = await client.get(doc["content_url"], headers={**user.headers, "Range": header})
        assert response.status_code == 206, header
        first = start if start >= 0 else size + start
        last = size - 1 if end is None else end
        assert response.content == data[first : last + 1], header
        assert response.headers["content-range"] == f"bytes {first}-{last}/{size}"
        assert response.headers["content-length"] == str(last - first + 1)
        assert response.headers["accept-ranges"] == "bytes"
        assert response.headers["etag"] == f'"{doc["sha256"]}"'


async def test_suffix_longer_than_the_file_is_the_whole_file(client, stored):
    user, doc, data = stored
    response = await client.get(doc["content_url"], headers={**user.headers, "Range": f"bytes=-{len(data) * 2}"})
    assert response.status_code == 206
    assert response.content == data
    assert response.headers["content-range"] == f"bytes 0-{len(data) - 1}/{len(data)}"


async def test_unsatisfiable_ranges_are_416(client, stored):
    user, doc, data = stored
    for value in (f"bytes={len(data)}-", f"bytes={len(data)}-{len(data) + 10}", "bytes=-0"):
        response = await client.get(doc["content_url"], headers={**user.headers, "Range": value})
        assert response.status_code == 416, value
        assert response.headers["content-range"] == f"bytes */{len(data)}"
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "range_not_satisfiable"


async def test_invalid_or_multiple_ranges_are_ignored(client, stored):
    user, doc, data = stored
    for header in ("bytes=10-5", "items=0-5", "bytes=abc", "bytes=0-1,5-6", "bytes=-", "bytes=5-10x", "bytes=x5-10"):
        response = await client.get(doc["content_url"], headers={**user.headers, "Range": header})
        assert response.status_code == 200, header
        assert response.content == data


async def test_if_none_match_answers_304_without_body(client, stored):
    user, doc, _ = stored
    etag = f'"{doc["sha256"]}"'
    for value in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = await client.get(doc["content_url"], headers={**user.headers, "If-None-Match": value})
        assert response.status_code == 304, value
        assert response.content == b""
        assert response.headers["etag"] == etag
    response = await client.get(doc["content_url"], headers={**user.headers, "If-None-Match": '"other"'})
    assert response.status_code == 200


async def test_last_modified_and_if_modified_since(client, stored):
    user, doc, data = stored
    response = await client.get(doc["content_url"], headers=user.headers)
    last_modified = response.headers["last-modified"]
    again = await client.get(doc["content_url"], headers={**user.headers, "If-Modified-Since": last_modified})
    assert again.status_code == 304
    earlier = format_datetime(datetime.now(UTC) - timedelta(days=1), usegmt=True)
    changed = await client.get(doc["content_url"], headers={**user.headers, "If-Modified-Since": earlier})
    assert changed.status_code == 200
    assert changed.content == data


async def test_if_range_serves_the_range_only_for_the_same_representation(client, stored):
    user, doc, data = stored
    etag = f'"{doc["sha256"]}"'
    same = await client.get(doc["content_url"], headers={**user.headers, "Range": "bytes=0-9", "If-Range": etag})
    assert same.status_code == 206
    assert same.content == data[:10]
    stale = await client.get(doc["content_url"], headers={**user.headers, "Range": "bytes=0-9", "If-Range": '"old"'})
    assert stale.status_code == 200
    assert stale.content == data
    weak = await client.get(doc["content_url"], headers={**user.headers, "Range": "bytes=0-9", "If-Range": f"W/{etag}"})
    assert weak.status_code == 200
    last_modified = same.headers["last-modified"]
    dated = await client.get(
        doc["content_url"], headers={**user.headers, "Range": "bytes=0-9", "If-Range": last_modified}
    )
    assert dated.status_code == 206
