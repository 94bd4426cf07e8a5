"""The frames a client sends over /api/v1/groups/{id}/ws (README "Chat protocol"), bounded like any input."""

from __future__ import annotations

from typing import Annotated

import msgspec

from chat_service.adapters.frames import ItemIn
from chat_service.domain.messages import MAX_CLIENT_MSG_ID, MAX_TEXT
from chat_service.domain.playback import MAX_POSITION_MS, MAX_RATE, MIN_RATE
from qhitz_shared.http.inputs import INT64_MAX, Opaque, Text


class ClientFrame(msgspec.Struct, tag_field="type", forbid_unknown_fields=True):
    pass


class SendMessage(ClientFrame, tag="message"):
    text: Text(MAX_TEXT, min_length=1)
    client_msg_id: Opaque(MAX_CLIENT_MSG_ID, min_length=1)


class SendTyping(ClientFrame, tag="typing"):
    pass


class SendTimeSync(ClientFrame, tag="time_sync"):
    """``rtt_ms``: the round trip the client measured on its previous time_sync (the server schedules playback
    commands at least twice the highest recent one ahead)."""

    client_time_ms: Annotated[float, msgspec.Meta(ge=0, le=INT64_MAX)]
    rtt_ms: Annotated[float, msgspec.Meta(ge=0, le=60_000)] = 0.0


class SendPlayback(ClientFrame, tag="playback"):
    action: Annotated[str, msgspec.Meta(max_length=8, pattern="^(play|pause|seek|set_item)$")]
    position_ms: Annotated[int, msgspec.Meta(ge=0, le=MAX_POSITION_MS)] | None = None
    rate: Annotated[float, msgspec.Meta(ge=MIN_RATE, le=MAX_RATE)] | None = None
    item: ItemIn | None = None
    command_id: Opaque(64) | None = None


IncomingFrame = SendMessage | SendTyping | SendTimeSync | SendPlayback
