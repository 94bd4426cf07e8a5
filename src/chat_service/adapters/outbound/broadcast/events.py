"""GroupEvents over a Broadcaster: each event becomes the JSON frame every socket of the group receives."""

from __future__ import annotations

import uuid

import msgspec

from chat_service.adapters.frames import event_frame
from chat_service.domain.events import GroupEvent
from chat_service.ports.broadcast import Broadcaster

_encoder = msgspec.json.Encoder()


def group_channel(group_id: uuid.UUID) -> str:
    return f"group:{group_id}"


class BroadcastGroupEvents:
    def __init__(self, broadcaster: Broadcaster) -> None:
        self._broadcaster = broadcaster

    async def publish(self, group_id: uuid.UUID, event: GroupEvent) -> None:
        await self._broadcaster.publish(group_channel(group_id), _encoder.encode(event_frame(event)))
