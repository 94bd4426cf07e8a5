"""One member's socket on one group: the live loop (fan-out to this socket) and the client's frames."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import msgspec
from dishka import AsyncContainer
from litestar import WebSocket

from chat_service.adapters.frames import ErrorFrame, TimeSyncFrame
from chat_service.adapters.inbound.ws import closes
from chat_service.adapters.inbound.ws.commands import IncomingFrame, SendMessage, SendPlayback, SendTimeSync, SendTyping
from chat_service.adapters.inbound.ws.delivery import HISTORY_TYPES, Envelope, History, Removed
from chat_service.adapters.inbound.ws.pings import PingBook
from chat_service.domain.events import Presence, Typing
from chat_service.domain.playback import Action, Command, Item, ItemKind
from chat_service.ports.broadcast import RESYNC
from chat_service.ports.events import GroupEvents
from chat_service.services.messages import MessageService
from chat_service.services.playback import PlaybackService, server_time_ms
from qhitz_shared.errors import AppError

_encoder = msgspec.json.Encoder()
_incoming = msgspec.json.Decoder(IncomingFrame)
_envelope = msgspec.json.Decoder(Envelope)
PRESENCE_EVERY_SECONDS = 5.0  # an unchanged round trip is re-announced this often
PRESENCE_CHANGE_MS = 50.0  # a round trip this much off the announced one is announced at once...
PRESENCE_MIN_SECONDS = 0.5  # ...but never more often than this


_last: tuple[bytes, Envelope, str] | None = None


def _routing(payload: bytes) -> tuple[Envelope, str]:
    """The envelope of a live payload and its text, decoded once per replica: every socket of the group is
    handed the same bytes object in turn, so the last one decoded is remembered (one event loop: no race)."""
    global _last
    if _last is None or _last[0] is not payload:
        _last = (payload, _envelope.decode(payload), payload.decode())
    return _last[1], _last[2]


class Closing(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


class GroupSession:
    def __init__(
        self,
        socket: WebSocket[Any, Any, Any],
        container: AsyncContainer,
        *,
        group_id: uuid.UUID,
        user_id: uuid.UUID,
        token: str,
        history: History,
        events: GroupEvents,
        pings: PingBook,
        max_frame_bytes: int,
        typing_interval_ms: int,
    ) -> None:
        self.socket = socket
        self.container = container
        self.group_id, self.user_id, self.token = group_id, user_id, token
        self.connection_id = uuid.uuid4().hex
        self.history = history
        self.events = events
        self.pings = pings
        self.max_frame_bytes = max_frame_bytes
        self.typing_interval = typing_interval_ms / 1000
        self._last_typing = 0.0
        self._last_presence = 0.0
        self._announced_rtt = 0.0
        self._lock = asyncio.Lock()

    async def send(self, payload: bytes | str) -> None:
        async with self._lock:
            await self.socket.send_data(payload if isinstance(payload, str) else payload.decode(), mode="text")

    # --- fan-out to this socket -----------------------------------------------------------------------------------

    async def pump(self, live: Any) -> None:
        async for payload in live:
            if payload == RESYNC:
                await self.history.catch_up()
                continue
            envelope, text = _routing(payload)
            if envelope.type in HISTORY_TYPES:
                try:
                    await self.history.live(envelope, text)
                except Removed:
                    raise Closing(closes.REMOVED, "removed from the group") from None
            elif envelope.type == "group_closed":
                await self.send(text)
                raise Closing(closes.GROUP_ARCHIVED, "the group was archived")
            elif envelope.type == "playback" and envelope.origin == self.connection_id:
                frame = msgspec.json.decode(payload)
                await self.send(_encoder.encode({**frame, "echo": True}))
            elif envelope.type == "presence":
                self._note_presence(envelope)
                await self.send(text)
            else:
                await self.send(text)

    def _note_presence(self, envelope: Envelope) -> None:
        if envelope.user_id is None:
            return
        if envelope.online:
            self.pings.record(self.group_id, envelope.user_id, envelope.rtt_ms)
        else:
            self.pings.forget(self.group_id, envelope.user_id)

    # --- the client's frames ----------------------------------------------------------------------------------

    async def read(self) -> None:
        async for data in self.socket.iter_data(mode="text"):
            received_ms = server_time_ms()  # before any work: a time_sync's receive stamp is as early as can be
            if len(data) > self.max_frame_bytes:
                raise Closing(closes.TOO_LARGE, "frame too large")
            try:
                frame = _incoming.decode(data)
            except (msgspec.DecodeError, msgspec.ValidationError) as exc:
                raise Closing(closes.PROTOCOL_ERROR, f"protocol error: {exc}"[:120]) from None
            try:
                await self.handle(frame, received_ms)
            except AppError as error:
                await self.send(_encoder.encode(_error_frame(error, frame)))

    async def handle(self, frame: Any, received_ms: int) -> None:
        match frame:
            case SendMessage(text, client_msg_id):
                async with self.container() as request:
                    service = await request.get(MessageService)
                    await service.send(self.group_id, self.user_id, text, client_msg_id)
            case SendTyping():
                now = time.monotonic()
                if now - self._last_typing >= self.typing_interval:
                    self._last_typing = now
                    await self.events.publish(self.group_id, Typing(self.user_id))
            case SendTimeSync(client_time_ms, rtt_ms):
                await self.send(_encoder.encode(TimeSyncFrame(client_time_ms, received_ms, server_time_ms())))
                await self.announce(rtt_ms)
            case SendPlayback():
                await self.playback(frame)

    async def announce(self, rtt_ms: float, *, force: bool = False) -> None:
        """Presence with the latest round trip (every replica learns the ping): at once when it changed, else
        every few seconds; never more than twice a second."""
        now = time.monotonic()
        since = now - self._last_presence
        changed = abs(rtt_ms - self._announced_rtt) >= PRESENCE_CHANGE_MS and since >= PRESENCE_MIN_SECONDS
        if force or changed or since >= PRESENCE_EVERY_SECONDS:
            self._last_presence, self._announced_rtt = now, rtt_ms
            self.pings.record(self.group_id, self.user_id, rtt_ms)
            await self.events.publish(self.group_id, Presence(self.user_id, True, rtt_ms))

    async def playback(self, frame: SendPlayback) -> None:
        item = Item(ItemKind(frame.item.kind), frame.item.ref) if frame.item else None
        command = Command(Action(frame.action), frame.position_ms, frame.rate, item)
        async with self.container() as request:
            service = await request.get(PlaybackService)
            await service.command(
                self.group_id,
                self.user_id,
                command,
                token=self.token,
                highest_ping_ms=self.pings.highest(self.group_id),
                origin=self.connection_id,
                command_id=frame.command_id,
            )


def _error_frame(error: AppError, frame: Any) -> ErrorFrame:
    return ErrorFrame(
        code=error.code,
        detail=error.detail,
        command_id=getattr(frame, "command_id", None),
        client_msg_id=getattr(frame, "client_msg_id", None),
    )
