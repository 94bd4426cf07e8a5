"""An image, a video, an audio file and a PDF, made by the test, go through the real worker (RabbitMQ, PostgreSQL):
every size appears with the right dimensions, as WebP without metadata, served by the sizes endpoint; the
originals' metadata is recorded; a decompression bomb fails cleanly; statuses are filterable."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
import pyvips

from medias_service.domain.processing import SIZES
from tests.medias_service.e2e.helpers import upload
from tests.medias_service.processing.support import (
    audio_bytes,
    avif_bytes,
    eventually,
    heic_bytes,
    image_bytes,
    pdf_document,
    video_bytes,
)

PIXEL_LIMIT = 30_000_000


@pytest.fixture(scope="module")
def worker_env(processing_env: dict[str, str]) -> dict[str, str]:
    return {**processing_env, "MEDIAS_PROCESSING_PIXEL_LIMIT": str(PIXEL_LIMIT)}


def png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 4096))
        + chunk(b"IEND", b"")
    )


async def settled(client, user, media_id: str, timeout: float = 60) -> dict:
    async def get() -> dict:
        response = await client.get(f"/api/v1/media/{media_id}", headers=user.headers)
        assert response.status_code == 200, response.text
        return response.json()

    return await eventually(get, lambda media: media["status"] in ("ready", "failed"), timeout=timeout)


def expected_size(width: int, height: int, edge: int) -> tuple[int, int]:
    """Fitted in edge x edge, never upscaled (the shorter side within a pixel of the exact ratio)."""
    if max(width, height) <= edge:
        return width, height
    scale = edge / max(width, height)
    return round(width * scale), round(height * scale)


async def check_sizes(client, user, media: dict, width: int, height: int) -> None:
    sizes = {size["name"]: size for size in media["sizes"]}
    assert set(sizes) == {spec.name for spec in SIZES}, media
    for spec in SIZES:
        size = sizes[spec.name]
        want_w, want_h = expected_size(width, height, spec.edge)
        assert size["status"] == "ready"
        assert (size["content_type"], size["format"]) == ("image/webp", "webp")
        assert abs(size["width"] - want_w) <= 1 and abs(size["height"] - want_h) <= 1, (spec, size)
        assert max(size["width"], size["height"]) == min(spec.edge, max(width, height)), (spec, size)
        assert size["url"] == f"/api/v1/media/{media['id']}/sizes/{spec.name}/content"
        served = await client.get(size["url"], headers=user.headers)
        assert served.status_code == 200, served.text
        assert served.headers["content-type"] == "image/webp"
        assert len(served.content) == size["size"]
        decoded = pyvips.Image.new_from_buffer(served.content, "")
        assert (decoded.width, decoded.height) == (size["width"], size["height"])
        assert not {"exif-data", "xmp-data", "iptc-data", "icc-profile-data"} & set(decoded.get_fields())


async def test_an_image_gets_every_size_upright_and_without_metadata(client, make_user, worker):
    user = await make_user()
    # stored 4000x2500 with EXIF orientation 6: displayed 2500 wide and 4000 high
    media = await upload(client, user, image_bytes(4000, 2500, orientation=6), filename="portrait.jpg")
    assert media["status"] == "pending"
    assert {size["name"]: size["status"] for size in media["sizes"]} == {spec.name: "pending" for spec in SIZES}
    media = await settled(client, user, media["id"])
    assert media["status"] == "ready", media
    info = media["current_version"]["info"]
    assert (info["width"], info["height"]) == (2500, 4000)
    await check_sizes(client, user, media, 2500, 4000)
    thumb = next(size for size in media["sizes"] if size["name"] == "thumb")
    assert (thumb["width"], thumb["height"]) == (100, 160)


@pytest.mark.parametrize(("make", "content_type"), [(heic_bytes, "image/heic"), (avif_bytes, "image/avif")])
async def test_heic_and_avif_photos_are_images_with_every_size(client, make_user, worker, make, content_type):
    """Both are ISO media files like MP4: they were stored as video/mp4 and got poster frames."""
    user = await make_user()
    media = await upload(client, user, make(1200, 900), filename="photo")
    assert (media["kind"], media["current_version"]["content_type"]) == ("image", content_type)
    media = await settled(client, user, media["id"])
    assert media["status"] == "ready", media
    info = media["current_version"]["info"]
    assert (info["width"], info["height"], info.get("video_codec")) == (1200, 900, None)
    await check_sizes(client, user, media, 1200, 900)


async def test_a_small_image_is_never_upscaled(client, make_user, worker):
    user = await make_user()
    media = await settled(client, user, (await upload(client, user, image_bytes(300, 200, suffix=".png")))["id"])
    assert media["status"] == "ready", media
    await check_sizes(client, user, media, 300, 200)
    assert {size["name"]: (size["width"], size["height"]) for size in media["sizes"]} == {
        "thumb": (160, 107),
        "small": (300, 200),
        "medium": (300, 200),
        "large": (300, 200),
    }


async def test_a_video_gets_its_streams_and_a_poster_in_every_size(client, make_user, worker, tmp_path: Path):
    user = await make_user()
    media = await upload(client, user, video_bytes(tmp_path), filename="clip.mp4")
    media = await settled(client, user, media["id"])
    assert media["status"] == "ready", media
    info = media["current_version"]["info"]
    assert (info["width"], info["height"], info["video_codec"], info["audio_codec"]) == (640, 360, "h264", "aac")
    assert info["duration_seconds"] == pytest.approx(4.0, abs=0.1)
    assert info["bitrate"] > 0
    await check_sizes(client, user, media, 640, 360)


async def test_an_audio_file_gets_duration_and_bitrate_and_no_sizes(client, make_user, worker, tmp_path: Path):
    user = await make_user()
    media = await settled(client, user, (await upload(client, user, audio_bytes(tmp_path), filename="a.mp3"))["id"])
    assert media["status"] == "ready", media
    assert media["sizes"] == []
    info = media["current_version"]["info"]
    assert info["duration_seconds"] == pytest.approx(3.0, abs=0.1)
    assert info["bitrate"] == pytest.approx(128_000, rel=0.05)
    assert info["audio_codec"] == "mp3"
    assert info["video_codec"] is None


async def test_a_pdf_gets_its_page_count_and_its_first_page_in_every_size(client, make_user, worker):
    user = await make_user()
    media = await settled(client, user, (await upload(client, user, pdf_document(3), filename="doc.pdf"))["id"])
    assert media["status"] == "ready", media
    info = media["current_version"]["info"]
    assert (info["page_count"], info["width"], info["height"]) == (3, 612, 792)
    # a page is vector: every size is drawn at its full edge
    sizes = {size["name"]: size for size in media["sizes"]}
    for spec in SIZES:
        assert sizes[spec.name]["height"] == spec.edge
        assert abs(sizes[spec.name]["width"] - spec.edge * 612 / 792) <= 1
    await check_sizes(client, user, media, 1583, 2048)


async def test_a_decompression_bomb_fails_cleanly_and_statuses_are_filterable(client, make_user, worker, broker, rows):
    user = await make_user()
    # a PNG announcing 8000 x 5000 = 40 megapixels in a few bytes, over the worker's limit of 30: refused from
    # its header, before anything is decoded
    bomb_data = png_header_only(8000, 5000)
    bomb = await upload(client, user, bomb_data, filename="bomb.png")
    fine = await upload(client, user, image_bytes(640, 480), filename="fine.jpg")
    bomb = await settled(client, user, bomb["id"])
    assert bomb["status"] == "failed"
    assert "40,000,000 pixels" in bomb["current_version"]["error"]
    assert {size["status"] for size in bomb["sizes"]} == {"failed"}
    assert all(size["url"] is None for size in bomb["sizes"])
    assert (await settled(client, user, fine["id"]))["status"] == "ready"

    failed = await client.get("/api/v1/media", params={"status": "failed"}, headers=user.headers)
    ready = await client.get("/api/v1/media", params={"status": "ready"}, headers=user.headers)
    assert [item["id"] for item in failed.json()["items"]] == [bomb["id"]]
    assert [item["id"] for item in ready.json()["items"]] == [fine["id"]]
    # content that cannot be processed fails at once: not retried, not parked
    assert (await broker.queue(broker.topology.parking.name))[0] == 0
    events = await rows.fetch(
        "SELECT name, payload FROM outbox_event WHERE payload->>'media_id' = $1 ORDER BY created_at", bomb["id"]
    )
    assert [event["name"] for event in events] == ["media.version.created", "media.failed"]
