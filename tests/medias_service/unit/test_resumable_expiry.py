"""A resumable upload's expiry moves in steps: at least ``ttl`` after the last stored bytes, rarely rewritten."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from medias_service.domain.library import UploadMetadata
from medias_service.domain.resumable import ResumableUpload, UploadIntent

TTL, STEP = timedelta(hours=24), timedelta(minutes=10)
START = datetime(2026, 1, 1, tzinfo=UTC)


def upload() -> ResumableUpload:
    intent = UploadIntent(UploadMetadata(None, None, None, None, None))
    return ResumableUpload(uuid.uuid4(), uuid.uuid4(), 10, intent, "k", expires_at=START + TTL)


def test_the_expiry_moves_a_step_ahead_once_it_is_less_than_ttl_away():
    item = upload()
    assert item.extend(START + timedelta(seconds=1), TTL, STEP)
    assert item.expires_at == START + timedelta(seconds=1) + TTL + STEP


def test_requests_within_the_step_leave_it_unchanged():
    item = upload()
    item.extend(START + timedelta(seconds=1), TTL, STEP)
    moved_to = item.expires_at
    for minutes in (1, 5, 10):
        at = START + timedelta(minutes=minutes)
        assert not item.extend(at, TTL, STEP)
        assert item.expires_at == moved_to and item.expires_at >= at + TTL  # never less than ttl ahead
    assert item.extend(START + timedelta(minutes=10, seconds=2), TTL, STEP)


def test_without_a_step_every_request_moves_it():
    item = upload()
    assert item.extend(START + timedelta(seconds=1), TTL)
    assert item.extend(START + timedelta(seconds=2), TTL)
    assert item.expires_at == START + timedelta(seconds=2) + TTL
