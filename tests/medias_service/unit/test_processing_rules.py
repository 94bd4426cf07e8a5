"""Processing rules: which sizes, their dimensions, retry waits, and what ffmpeg's stream summary says."""

# ruff: noqa: E501  (ffmpeg's output is quoted as printed)

from __future__ import annotations

import pytest

from medias_service.adapters.outbound.processing.ffmpeg import parse_summary
from medias_service.domain.processing import SIZES, RetryPolicy, failure_reason, fit, planned_sizes

MP4 = """Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'clip.mp4':
  Duration: 00:01:04.52, start: 0.000000, bitrate: 1320 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), 1920x1080 [SAR 1:1 DAR 16:9], 1189 kb/s, 25 fps, 25 tbr, 12800 tbn (default)
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 128 kb/s (default)
At least one output file must be specified"""
PHONE = """Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'phone.mov':
  Duration: 00:00:03.00, start: 0.000000, bitrate: 9000 kb/s
  Stream #0:0[0x1](und): Video: hevc (Main) (hvc1 / 0x31637668), yuv420p(tv, bt709), 1920x1080, 8000 kb/s, 30 fps
      Side data:
        displaymatrix: rotation of -90.00 degrees
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, mono, fltp, 96 kb/s"""
MP3_WITH_COVER = """Input #0, mp3, from 'song.mp3':
  Duration: 00:03:25.10, start: 0.025057, bitrate: 192 kb/s
  Stream #0:0: Audio: mp3 (mp3float), 44100 Hz, stereo, fltp, 192 kb/s
  Stream #0:1: Video: mjpeg (Baseline), yuvj420p(pc, bt470bg/unknown/unknown), 500x500 [SAR 1:1 DAR 1:1], 90k tbr, 90k tbn (attached pic)"""
NO_DURATION = """Input #0, matroska,webm, from 'live.webm':
  Duration: N/A, start: 0.000000, bitrate: N/A
  Stream #0:0: Video: vp9 (Profile 0), yuv420p(tv), 640x480, SAR 1:1 DAR 4:3, 30 fps"""


@pytest.mark.parametrize(
    ("width", "height", "edge", "expected"),
    [
        (4000, 2500, 160, (160, 100)),
        (2500, 4000, 2048, (1280, 2048)),
        (300, 200, 480, (300, 200)),  # never upscaled
        (160, 160, 160, (160, 160)),
        (10000, 3, 160, (160, 1)),  # never below one pixel
    ],
)
def test_fit_puts_the_longest_side_on_the_edge_and_never_upscales(width, height, edge, expected):
    assert fit(width, height, edge) == expected


def test_the_sizes_and_who_gets_them():
    assert [(spec.name, spec.edge) for spec in SIZES] == [
        ("thumb", 160),
        ("small", 480),
        ("medium", 1024),
        ("large", 2048),
    ]
    for content_type in ("image/jpeg", "image/png", "image/webp", "video/mp4", "video/webm", "application/pdf"):
        assert planned_sizes(content_type) == SIZES, content_type
    for content_type in ("image/svg+xml", "audio/mpeg", "text/plain", "application/zip"):
        assert planned_sizes(content_type) == (), content_type


def test_retries_wait_longer_each_time_up_to_a_cap():
    policy = RetryPolicy()
    assert policy.max_attempts == 5
    assert [policy.delay(attempt) for attempt in range(1, 5)] == [10, 20, 40, 80]
    assert policy.delays() == [10, 20, 40, 80]
    assert [policy.exhausted(attempt) for attempt in (4, 5, 6)] == [False, True, True]
    assert RetryPolicy(8, 10, 60).delays() == [10, 20, 40, 60]
    assert failure_reason(5, "OSError: disk") == "Processing failed after 5 attempts: OSError: disk"
    assert failure_reason(1, "x") == "Processing failed after 1 attempt: x"


def test_ffmpeg_summary_of_a_video():
    found = parse_summary(MP4)
    assert found.duration_seconds == pytest.approx(64.52)
    assert (found.bitrate, found.video_codec, found.audio_codec) == (1_320_000, "h264", "aac")
    assert (found.width, found.height) == (1920, 1080)


def test_ffmpeg_summary_of_a_rotated_phone_video_gives_its_displayed_size():
    found = parse_summary(PHONE)
    assert (found.width, found.height, found.video_codec) == (1080, 1920, "hevc")


def test_ffmpeg_summary_of_audio_ignores_cover_art():
    found = parse_summary(MP3_WITH_COVER)
    assert (found.video_codec, found.audio_codec, found.bitrate) == (None, "mp3", 192_000)
    assert found.duration_seconds == pytest.approx(205.1)


def test_ffmpeg_summary_without_duration_or_bitrate():
    found = parse_summary(NO_DURATION)
    assert (found.duration_seconds, found.bitrate, found.video_codec, found.width) == (None, None, "vp9", 640)
