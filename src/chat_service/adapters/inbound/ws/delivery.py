"""What a socket receives, in order: the replay from the database, then live frames, each history entry exactly
once and in sequence order, whichever way it arrived.

A live history frame (message, member_added, member_removed) with the next seq is sent as it is; one already sent
is dropped; one past a gap (a lost publish, or a socket that fell behind) makes the socket read the gap from the
database first. Sequence numbers are taken under the group row's lock, so once seq N is committed every seq
below it is too: reading the database up to N never misses one.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import msgspec
from dishka import AsyncContainer

from chat_service.adapters.frames import MessageFrame, MessageOut
from chat_service.domain.messages import Page, SystemEvent
from chat_service.services.messages import MessageService

HISTORY_TYPES = frozenset({"message", "member_added", "member_removed"})
_LEAVING = frozenset({SystemEvent.MEMBER_REMOVED.value, SystemEvent.MEMBER_LEFT.value})
_encoder = msgspec.json.Encoder()


class Envelope(msgspec.Struct):
    """Just enough of a live frame to route it (and a presence frame's round trip)."""

    type: str
    message: MessageOut | None = None
    user_id: uuid.UUID | None = None
    origin: str | None = None
    online: bool = False
    rtt_ms: float = 0.0


class Removed(Exception):
    """This socket's member left or was removed: the socket closes with 4403."""


class History:
    """The sequence cursor of one socket."""

    def __init__(
        self,
        container: AsyncContainer,
        group_id: uuid.UUID,
        user_id: uuid.UUID,
        last_seq: int,
        send: Callable[[bytes], Awaitable[None]],
    ) -> None:
        self._container = container
        self._group_id = group_id
        self._user_id = user_id
        self.last_seq = last_seq
        self._send = send

    async def catch_up(self) -> None:
        """Sends every entry after ``last_seq`` from the database, oldest first, as message frames."""
        while True:
            async with self._container() as request:
                service = await request.get(MessageService)
                page = await service.history(self._group_id, self._user_id, Page(after_seq=self.last_seq, limit=100))
            for message in page:
                out = MessageOut.of(message)
                await self._send(_encoder.encode(MessageFrame(out)))
                self.last_seq = message.seq
                self._check_departure(out)
            if len(page) < 100:
                return

    async def live(self, envelope: Envelope, payload: str) -> None:
        """A live history frame: sent once, in order, a gap read from the database first."""
        message = envelope.message
        assert message is not None
        if message.seq > self.last_seq + 1:
            await self.catch_up()
        if message.seq <= self.last_seq:
            self._check_departure(message)
            return
        await self._send(payload)
        self.last_seq = message.seq
        self._check_departure(message)

    def _check_departure(self, message: MessageOut) -> None:
        if message.event in _LEAVING and message.subject_id == self._user_id:
            raise Removed
