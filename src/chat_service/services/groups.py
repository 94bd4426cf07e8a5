"""GroupService: create, list, read, edit and archive groups."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from chat_service.domain.events import GroupClosed
from chat_service.domain.groups import Group, Member, PlaybackControl, Role, group_description, group_name
from chat_service.ports.events import GroupEvents
from chat_service.ports.repositories import GroupRepository, GroupSummary, MemberRepository
from chat_service.services.access import membership
from qhitz_shared.ids import new_id
from qhitz_shared.ports import UnitOfWork


class GroupService:
    def __init__(
        self, groups: GroupRepository, members: MemberRepository, events: GroupEvents, uow: UnitOfWork
    ) -> None:
        self._groups = groups
        self._members = members
        self._events = events
        self._uow = uow

    async def create(self, user_id: uuid.UUID, name: str, description: str = "") -> tuple[Group, Member]:
        """A new group; its creator is its owner."""
        group = Group(
            id=new_id(),
            name=group_name(name),
            description=group_description(description),
            last_seq=0,
            playback_control=PlaybackControl.ADMINS,
            created_at=datetime.now(UTC),
        )
        owner = Member(group.id, user_id, Role.OWNER)
        await self._groups.add(group)
        await self._members.add(owner)
        await self._uow.commit()
        return group, owner

    async def list_for(self, user_id: uuid.UUID) -> Sequence[GroupSummary]:
        return await self._groups.list_for(user_id)

    async def get(self, group_id: uuid.UUID, user_id: uuid.UUID) -> tuple[Group, Member]:
        return await membership(self._groups, group_id, user_id)

    async def update(
        self,
        group_id: uuid.UUID,
        user_id: uuid.UUID,
        *,
        name: str | None = None,
        description: str | None = None,
        playback_control: PlaybackControl | None = None,
    ) -> tuple[Group, Member]:
        """Owners and admins; None leaves a field as it is."""
        group, member = await membership(self._groups, group_id, user_id)
        member.require_manager()
        group.require_open()
        changed = replace(
            group,
            name=group.name if name is None else group_name(name),
            description=group.description if description is None else group_description(description),
            playback_control=playback_control or group.playback_control,
        )
        await self._groups.save(changed)
        await self._uow.commit()
        return changed, member

    async def archive(self, group_id: uuid.UUID, user_id: uuid.UUID) -> None:
        """Owners and admins. An archived group keeps its history readable; its sockets close."""
        group, member = await membership(self._groups, group_id, user_id)
        member.require_manager()
        if group.archived_at is not None:
            return
        await self._groups.save(replace(group, archived_at=datetime.now(UTC)))
        await self._uow.commit()
        await self._events.publish(group_id, GroupClosed(by=user_id))
