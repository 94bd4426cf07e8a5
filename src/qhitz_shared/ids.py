"""Time-ordered UUIDv7 identifiers (index-friendly), as standard ``uuid.UUID`` values."""

from __future__ import annotations

import uuid

import uuid_utils


def new_id() -> uuid.UUID:
    return uuid.UUID(bytes=uuid_utils.uuid7().bytes)
