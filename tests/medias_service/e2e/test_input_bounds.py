"""Client input is bounded and validated at the boundary (400/422 naming the field), and text is compared in NFC.

Each of these gave 500 before (issue 9 §1), or two spellings of one word were two values (§4)."""

from __future__ import annotations

import unicodedata

from tests.medias_service.e2e.helpers import upload
from tests.medias_service.support import multipart_body, multipart_headers, png_bytes

CAFE_NFC = "caf\u00e9"
CAFE_NFD = "cafe\u0301"


def field_of(response) -> str | None:
    """The field a 400 or 422 problem names: ``errors[0].key`` (schema) or ``field`` (rule)."""
    body = response.json()
    return body["errors"][0]["key"] if body.get("errors") else body.get("field")


async def test_a_nul_in_the_search_query_or_a_tag_filter_is_400_naming_it(client, make_user):
    user = await make_user()
    response = await client.get("/api/v1/media?q=%00", headers=user.headers)
    assert (response.status_code, response.json()["code"], field_of(response)) == (400, "validation_failed", "q")
    for query in ("tag=%00", f"tag={'x' * 201}", "&".join(["tag=a"] * 21)):
        tagged = await client.get(f"/api/v1/media?{query}", headers=user.headers)
        assert (tagged.status_code, field_of(tagged)) == (400, "tag"), query


async def test_titles_and_descriptions_follow_one_control_character_rule(client, make_user):
    user = await make_user()
    media = await upload(client, user, title="Plain")
    for field, value in [("title", "a\u0000b"), ("title", "a\u0001b"), ("description", "a\u0001b")]:
        response = await client.patch(f"/api/v1/media/{media['id']}", json={field: value}, headers=user.headers)
        assert response.status_code == 400, (field, value, response.text)
        assert field_of(response) == field
    kept = await client.patch(
        f"/api/v1/media/{media['id']}", json={"title": "a\tb", "description": "line 1\nline 2"}, headers=user.headers
    )
    assert kept.status_code == 200, kept.text
    assert (kept.json()["title"], kept.json()["description"]) == ("a b", "line 1\nline 2")


async def test_multipart_text_fields_follow_the_same_rule(client, make_user):
    user = await make_user()
    for field in ("title", "description", "tags"):
        body = multipart_body(("f.png", None, png_bytes()), [(field, "a\u0001b")])
        response = await client.post("/api/v1/media", content=body, headers=multipart_headers(user.token))
        assert response.status_code == 422, (field, response.text)
        assert field_of(response) == field


async def test_a_version_number_past_the_column_is_400_not_500(client, make_user):
    user = await make_user()
    media = await upload(client, user, is_public="true")
    response = await client.get(f"/api/v1/media/{media['id']}/versions/2147483648/content")  # no token: public
    assert (response.status_code, field_of(response)) == (400, "number")
    restore = await client.post(f"/api/v1/media/{media['id']}/versions/2147483648/restore", headers=user.headers)
    assert (restore.status_code, field_of(restore)) == (400, "number")
    long_size = await client.get(f"/api/v1/media/{media['id']}/sizes/{'x' * 200}/content")
    assert (long_size.status_code, field_of(long_size)) == (400, "name")


async def test_a_date_time_without_an_offset_is_422_naming_the_field(client, make_user):
    user = await make_user()
    for field in ("created_before", "created_after"):
        response = await client.get(f"/api/v1/media?{field}=2030-01-01T00:00:00", headers=user.headers)
        assert response.status_code == 422, response.text
        assert (response.json()["code"], response.json()["field"]) == ("naive_datetime", field)
    aware = await client.get("/api/v1/media?created_before=2030-01-01T00:00:00Z", headers=user.headers)
    assert aware.status_code == 200
    garbage = await client.get("/api/v1/media?created_before=tomorrow", headers=user.headers)
    assert (garbage.status_code, field_of(garbage)) == (400, "created_before")


async def test_ranges_with_huge_positions_follow_rfc_9110(client, make_user):
    user = await make_user()
    media = await upload(client, user)
    url = f"/api/v1/media/{media['id']}/content"
    huge = "9" * 5000
    beyond = await client.get(url, headers={**user.headers, "Range": f"bytes={huge}-"})
    assert beyond.status_code == 416
    clamped = await client.get(url, headers={**user.headers, "Range": f"bytes=0-{huge}"})
    assert (clamped.status_code, clamped.headers["content-range"]) == (
        206,
        f"bytes 0-{media['size'] - 1}/{media['size']}",
    )
    whole = await client.get(url, headers={**user.headers, "Range": f"bytes=-{huge}"})
    assert whole.status_code == 206 and len(whole.content) == media["size"]
    unparseable = await client.get(url, headers={**user.headers, "Range": "bytes=1-x"})
    assert unparseable.status_code == 200
    bad_date = await client.get(url, headers={**user.headers, "If-Modified-Since": "0, 1 Jan 99999999999999 0:0:0"})
    assert bad_date.status_code == 200


async def test_tags_in_nfc_and_nfd_are_one_tag(client, make_user):
    user = await make_user()
    first = await upload(client, user, tags=CAFE_NFC)
    second = await upload(client, user, tags=CAFE_NFD)
    assert first["tags"] == second["tags"] == [CAFE_NFC]
    tags = await client.get("/api/v1/tags", headers=user.headers)
    assert tags.json() == [{"name": CAFE_NFC, "count": 2}]
    by_nfd = await client.get("/api/v1/media", params={"tag": CAFE_NFD}, headers=user.headers)
    assert by_nfd.json()["total"] == 2


async def test_the_tag_limit_counts_code_points_of_the_nfc_form(client, make_user):
    user = await make_user()
    media = await upload(client, user)
    fifty = "\u00e9" * 50
    decomposed = unicodedata.normalize("NFD", fifty)
    assert len(decomposed) == 100
    ok = await client.patch(f"/api/v1/media/{media['id']}", json={"tags": [decomposed]}, headers=user.headers)
    assert (ok.status_code, ok.json()["tags"]) == (200, [fifty])
    too_long = unicodedata.normalize("NFD", "\u00e9" * 51)
    refused = await client.patch(f"/api/v1/media/{media['id']}", json={"tags": [too_long]}, headers=user.headers)
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_tag")


async def test_titles_and_the_search_query_compare_in_nfc(client, make_user):
    user = await make_user()
    media = await upload(client, user, title=f"{CAFE_NFD} au lait", description=f"Un {CAFE_NFD}")
    assert (media["title"], media["description"]) == (f"{CAFE_NFC} au lait", f"Un {CAFE_NFC}")
    for query in (CAFE_NFC, CAFE_NFD):
        found = await client.get("/api/v1/media", params={"q": query}, headers=user.headers)
        assert [item["id"] for item in found.json()["items"]] == [media["id"]], query
