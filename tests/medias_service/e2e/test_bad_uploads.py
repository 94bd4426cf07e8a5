"""Bad uploads: each is answered with a clear problem and leaves no row and no stored object behind."""

from __future__ import annotations

import pytest

from tests.medias_service.conftest import TINY_QUOTA_BYTES, TINY_UPLOAD_BYTES
from tests.medias_service.support import HTML, binary_bytes, multipart_body, multipart_headers, pdf_bytes, png_bytes

pytestmark = pytest.mark.usefixtures("storage_backend")

NOTHING = {"media": 0, "versions": 0, "blobs": 0, "tags": 0, "used_bytes": 0}


async def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == code
    assert problem["status"] == status
    assert problem["detail"]
    return problem


async def assert_nothing_left(db_probe, storage_probe, user) -> None:
    assert await db_probe.counts(user.id) == NOTHING
    assert storage_probe.objects() == []
    assert storage_probe.incomplete_uploads() == []


async def post(client, user, body: bytes, **headers: str):
    return await client.post("/api/v1/media", content=body, headers={**multipart_headers(user.token), **headers})


async def test_file_over_the_upload_limit_is_413_while_streaming(client, make_user, db_probe, storage_probe):
    user = await make_user(domain="tiny.test")
    body = multipart_body(("big.pdf", "application/pdf", pdf_bytes(extra=TINY_UPLOAD_BYTES + 1000)))
    assert len(body) < 2 * TINY_UPLOAD_BYTES  # small enough to pass the check on Content-Length: caught mid-stream
    problem = await assert_problem(await post(client, user, body), 413, "file_too_large")
    assert problem["max_upload_bytes"] == TINY_UPLOAD_BYTES
    await assert_nothing_left(db_probe, storage_probe, user)


async def test_an_owner_who_must_verify_the_email_first_is_refused_before_streaming(
    client, make_user, db_probe, storage_probe
):
    user = await make_user(domain="unverified.test")  # require-verified-email is on for them at main_service
    body = multipart_body(("f.pdf", "application/pdf", pdf_bytes(extra=10)))
    await assert_problem(await post(client, user, body), 403, "email_not_verified")
    await assert_nothing_left(db_probe, storage_probe, user)


async def test_body_announced_far_over_the_limit_is_413_before_streaming(client, make_user, db_probe, storage_probe):
    user = await make_user(domain="tiny.test")
    body = multipart_body(("big.pdf", "application/pdf", pdf_bytes(extra=4 * TINY_UPLOAD_BYTES)))
    await assert_problem(await post(client, user, body), 413, "file_too_large")
    await assert_nothing_left(db_probe, storage_probe, user)


async def test_quota_is_507_and_counts_duplicates_once(client, make_user, db_probe, storage_probe):
    user = await make_user(domain="tiny.test")
    files = [pdf_bytes(extra=60_000) for _ in range(3)]  # two fit in the 160 KiB quota, three do not
    assert 2 * len(files[0]) < TINY_QUOTA_BYTES < 3 * len(files[0])
    for data in files[:2]:
        assert (await post(client, user, multipart_body(("f.pdf", None, data)))).status_code == 201
    before = await db_probe.counts(user.id)
    objects = storage_probe.objects()
    # The third file fits only if it were a duplicate: refused when the final, exact check runs.
    await assert_problem(await post(client, user, multipart_body(("f.pdf", None, files[2]))), 507, "quota_exceeded")
    # Larger than any stored blob and than the room left: refused while streaming.
    bigger = pdf_bytes(extra=63_000)
    await assert_problem(await post(client, user, multipart_body(("f.pdf", None, bigger))), 507, "quota_exceeded")
    assert await db_probe.counts(user.id) == before
    assert storage_probe.objects() == objects
    assert storage_probe.incomplete_uploads() == []
    # The same bytes again cost nothing: accepted although the quota is nearly full.
    again = await post(client, user, multipart_body(("again.pdf", None, files[0])))
    assert again.status_code == 201, again.text
    after = await db_probe.counts(user.id)
    assert after["media"] == 3
    assert after["blobs"] == 2
    assert after["used_bytes"] == before["used_bytes"]
    assert storage_probe.objects() == objects


async def test_a_label_hiding_active_content_is_refused(client, make_user, db_probe, storage_probe):
    user = await make_user()
    body = multipart_body(("cat.png", "image/png", HTML))
    problem = await assert_problem(await post(client, user, body), 415, "content_type_mismatch")
    assert problem["sniffed_type"] == "text/html"
    await assert_nothing_left(db_probe, storage_probe, user)


async def test_content_not_on_the_allow_list_is_refused(client, make_user, db_probe, storage_probe):
    user = await make_user()
    for file in (("page.html", "text/html", HTML), ("blob.bin", "application/octet-stream", binary_bytes(5000))):
        await assert_problem(await post(client, user, multipart_body(file)), 415, "unsupported_media_type")
    await assert_nothing_left(db_probe, storage_probe, user)


async def test_a_wrong_but_harmless_label_is_corrected(client, make_user):
    user = await make_user()
    response = await post(client, user, multipart_body(("scan.pdf", "application/pdf", png_bytes())))
    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == "image/png"
    assert response.json()["kind"] == "image"
    assert response.json()["original_filename"] == "scan.pdf"  # display metadata only


async def test_missing_file_part(client, make_user, db_probe, storage_probe):
    user = await make_user()
    body = multipart_body(None, [("title", "no file")])
    await assert_problem(await post(client, user, body), 422, "missing_file")
    await assert_nothing_left(db_probe, storage_probe, user)


async def test_truncated_bodies(client, make_user, db_probe, storage_probe):
    user = await make_user()
    data = pdf_bytes(extra=200_000)
    whole = multipart_body(("f.pdf", "application/pdf", data), [("title", "t")])
    cut_in_file = whole[: len(whole) // 2]
    no_closing = multipart_body(("f.pdf", "application/pdf", data), close=False)
    for body in (cut_in_file, no_closing):
        await assert_problem(await post(client, user, body), 400, "upload_incomplete")
    await assert_nothing_left(db_probe, storage_probe, user)


async def test_empty_file(client, make_user, db_probe, storage_probe):
    user = await make_user()
    await assert_problem(await post(client, user, multipart_body(("e.png", "image/png", b""))), 422, "empty_file")
    await assert_nothing_left(db_probe, storage_probe, user)


async def test_invalid_fields_after_the_file_leave_nothing(client, make_user, db_probe, storage_probe):
    user = await make_user()
    data = pdf_bytes(extra=100_000)
    cases = [
        ([("is_public", "maybe")], "invalid_media_data"),
        ([("title", "x" * 201)], "invalid_media_data"),
        ([("tags", "ok, " + "t" * 51)], "invalid_tag"),
    ]
    for fields, code in cases:
        body = multipart_body(("f.pdf", None, data), fields_after=fields)
        await assert_problem(await post(client, user, body), 422, code)
    await assert_nothing_left(db_probe, storage_probe, user)


async def test_malformed_multipart(client, make_user, db_probe, storage_probe):
    user = await make_user()
    two_files = multipart_body(("a.png", None, png_bytes())).removesuffix(b"--qhitz-test-boundary-7f3a--\r\n")
    two_files += multipart_body(("b.png", None, png_bytes()))
    await assert_problem(await post(client, user, two_files), 400, "malformed_upload")
    garbage = b"--qhitz-test-boundary-7f3a\r\nno header end" + b"x" * 10_000
    await assert_problem(await post(client, user, garbage), 400, "malformed_upload")
    not_multipart = await client.post("/api/v1/media", json={"file": "x"}, headers=user.headers)
    await assert_problem(not_multipart, 415, "unsupported_media_type")
    await assert_nothing_left(db_probe, storage_probe, user)


HOSTILE = [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\me\\evil.png", "evil.png"),
    ("  .hidden  ", "hidden"),
    ("semi;colon<>|*?.png", "semi;colon_____.png"),
    ("photo\u202egnp.exe", "photognp.exe"),  # a bidi override disguising the extension
    ("con.txt", "_con.txt"),
    ("...", None),
]


async def test_hostile_filenames_are_kept_only_sanitized(client, make_user, storage_probe):
    user = await make_user()
    for raw, expected in HOSTILE:
        response = await post(client, user, multipart_body((raw, "image/png", png_bytes())))
        assert response.status_code == 201, (raw, response.text)
        assert response.json()["original_filename"] == expected, raw
        assert response.json()["title"] == (expected or "Untitled")
    control = await post(
        client, user, multipart_body((None, "image/png", png_bytes()), raw_filename=b"a\x01b\tc\x7f.png")
    )
    assert control.status_code == 201, control.text
    assert control.json()["original_filename"] == "abc.png"
    long_name = "n" * 1000 + ".png"
    response = await post(client, user, multipart_body((long_name, "image/png", png_bytes())))
    name = response.json()["original_filename"]
    assert len(name.encode()) <= 255
    assert name.endswith(".png")
    for key in storage_probe.objects():  # no client name ever reaches the storage
        assert key.startswith("blobs/")
        assert "passwd" not in key and "evil" not in key and ".." not in key
