"""Events leave through an outbox: recorded with the change that caused them, published by a relay after commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutgoingEvent:
    """An outbox row on its way out: ``body`` is the event as JSON."""

    id: uuid.UUID
    name: str
    body: bytes = field(repr=False)
    attempts: int = 0


class OutboxStore(Protocol):
    """The relay's side of the outbox table."""

    async def pending(self, limit: int) -> list[OutgoingEvent]:
        """Unsent events, oldest first, locked until the transaction ends; rows another relay holds are skipped."""
        ...

    async def mark_sent(self, ids: Sequence[uuid.UUID]) -> None: ...

    async def note_failure(self, ids: Sequence[uuid.UUID], error: str) -> None:
        """Count a failed attempt on each row (kept for operators; the rows stay pending)."""
        ...

    async def forget_sent(self, sent_before: datetime, limit: int) -> int:
        """Delete rows sent before ``sent_before``; returns how many."""
        ...


class EventPublisher(Protocol):
    """Hands events to their consumers (RabbitMQ, or handlers in this process when there is no broker)."""

    async def publish(self, event: OutgoingEvent) -> None:
        """Returns once the event is safely accepted (persistent and confirmed by a broker); raises otherwise."""
        ...
