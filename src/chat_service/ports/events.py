"""Publishing a group's events to everyone connected to it, on any replica."""

from __future__ import annotations

import uuid
from typing import Protocol

from chat_service.domain.events import GroupEvent


class GroupEvents(Protocol):
    async def publish(self, group_id: uuid.UUID, event: GroupEvent) -> None:
        """After the commit; best effort (subscribers catch up from the database by sequence)."""
        ...
