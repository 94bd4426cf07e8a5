"""EventPublisher without a broker: events go to handlers in this process."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from qhitz_shared.outbox.events import OutgoingEvent


class InProcessEventPublisher:
    """``deliver`` takes the event at once (it starts background work and returns): publishing never waits for
    processing, so the relay's transaction stays short."""

    def __init__(self, deliver: Callable[[OutgoingEvent], Awaitable[None]]) -> None:
        self._deliver = deliver

    async def publish(self, event: OutgoingEvent) -> None:
        await self._deliver(event)
