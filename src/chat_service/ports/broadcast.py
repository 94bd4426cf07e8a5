"""Fan-out between the replicas of chat_service. The database is the truth; a broadcast only wakes subscribers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Protocol

# Delivered to a subscription instead of a payload when frames may have been lost (the pub/sub connection broke
# and was re-established): the subscriber catches up from the database.
RESYNC = b""


class Broadcaster(Protocol):
    async def publish(self, channel: str, payload: bytes) -> None:
        """Best effort: a lost publish is repaired by subscribers catching up by sequence after a RESYNC."""
        ...

    def subscribe(self, channel: str) -> AbstractAsyncContextManager[AsyncIterator[bytes]]:
        """Payloads published on ``channel`` from now on (RESYNC after an outage), until the context exits."""
        ...
