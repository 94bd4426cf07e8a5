"""PlaybackService: the group's watch-party state and the commands that change it, scheduled ahead."""

from __future__ import annotations

import time
import uuid

from chat_service.domain import playback
from chat_service.domain.events import PlaybackChanged
from chat_service.domain.playback import Action, Command, PlaybackState
from chat_service.ports.events import GroupEvents
from chat_service.ports.platform import MediaCatalog
from chat_service.ports.repositories import GroupRepository, MemberRepository, PlaybackRepository
from chat_service.services.access import membership
from qhitz_shared.ports import UnitOfWork


def server_time_ms() -> int:
    return time.time_ns() // 1_000_000


class PlaybackService:
    def __init__(
        self,
        groups: GroupRepository,
        members: MemberRepository,
        states: PlaybackRepository,
        catalog: MediaCatalog,
        events: GroupEvents,
        uow: UnitOfWork,
    ) -> None:
        self._groups = groups
        self._members = members
        self._states = states
        self._catalog = catalog
        self._events = events
        self._uow = uow

    async def state(self, group_id: uuid.UUID, user_id: uuid.UUID) -> PlaybackState | None:
        await membership(self._groups, group_id, user_id)
        return await self._states.get(group_id)

    async def command(
        self,
        group_id: uuid.UUID,
        user_id: uuid.UUID,
        command: Command,
        *,
        token: str,
        highest_ping_ms: float = 0.0,
        origin: str | None = None,
        command_id: str | None = None,
    ) -> PlaybackChanged:
        """Applies ``command`` at now + lead (>= 500 ms, or twice the highest recent member ping). set_item checks
        with medias_service that the sharer (``token`` is theirs) may read the media, or that the link is valid.
        Raises GroupRoleRequired, ItemNotPlayable, InvalidChatInput, GroupArchived."""
        group, member = await membership(self._groups, group_id, user_id)
        group.require_open()
        current = await self._states.get(group_id)
        if command.action is Action.SET_ITEM:
            playback.apply(current, command, member, group.playback_control, 0)  # permission first, then the call
            assert command.item is not None
            await self._catalog.check_playable(command.item, token)
        now = server_time_ms()
        state = playback.apply(
            current, command, member, group.playback_control, now + playback.lead_ms(highest_ping_ms)
        )
        await self._states.put(group_id, state)
        await self._uow.commit()
        changed = PlaybackChanged(state, user_id, now, origin, command_id)
        await self._events.publish(group_id, changed)
        return changed
