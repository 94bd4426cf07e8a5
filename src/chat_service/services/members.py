"""MemberService: add by email (main_service's directory), remove, leave, change roles; each recorded in the
history as a system message and announced to the group's sockets."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from chat_service.domain.errors import AlreadyMember, MemberNotFound, UserNotFound
from chat_service.domain.events import MemberAdded, MemberRemoved
from chat_service.domain.groups import Member, Role, check_removal, check_role_change
from chat_service.domain.messages import SystemEvent
from chat_service.ports.events import GroupEvents
from chat_service.ports.platform import UserDirectory
from chat_service.ports.repositories import GroupRepository, MemberRepository, MessageRepository
from chat_service.services.access import membership
from chat_service.services.history import append
from qhitz_shared.ports import UnitOfWork


class MemberService:
    def __init__(
        self,
        groups: GroupRepository,
        members: MemberRepository,
        messages: MessageRepository,
        directory: UserDirectory,
        events: GroupEvents,
        uow: UnitOfWork,
    ) -> None:
        self._groups = groups
        self._members = members
        self._messages = messages
        self._directory = directory
        self._events = events
        self._uow = uow

    async def list(self, group_id: uuid.UUID, user_id: uuid.UUID) -> Sequence[Member]:
        await membership(self._groups, group_id, user_id)
        return await self._members.list(group_id)

    async def add(self, group_id: uuid.UUID, actor_id: uuid.UUID, email: str, role: Role = Role.MEMBER) -> Member:
        """Owners and admins add a platform user by email (404 user_not_found when main_service has none);
        only owners add owners. 409 already_member."""
        group, actor = await membership(self._groups, group_id, actor_id)
        actor.require_manager()
        group.require_open()
        entry = await self._directory.find_by_email(email)
        if entry is None:
            raise UserNotFound("No platform user has this email")
        if await self._members.get(group_id, entry.user_id) is not None:
            raise AlreadyMember("The user is already a member")
        member = Member(group_id, entry.user_id, Role.MEMBER)
        if role is not Role.MEMBER:
            check_role_change(actor, member, role, owners=2)
            member = Member(group_id, entry.user_id, role)
        await self._members.add(member)
        message = await append(
            self._messages,
            group_id,
            author_id=actor_id,
            event=SystemEvent.MEMBER_ADDED,
            subject_id=entry.user_id,
        )
        await self._uow.commit()
        await self._events.publish(group_id, MemberAdded(entry.user_id, member.role, actor_id, message))
        return member

    async def remove(self, group_id: uuid.UUID, actor_id: uuid.UUID, user_id: uuid.UUID) -> None:
        """Owners and admins remove members (only owners remove owners); removing oneself is leaving. The last
        owner cannot go (409 last_owner)."""
        _, actor = await membership(self._groups, group_id, actor_id)
        target = actor if user_id == actor_id else await self._members.get(group_id, user_id)
        if target is None:
            actor.require_manager()
            raise MemberNotFound(f"{user_id} is not a member of this group")
        owners = await self._members.count_owners(group_id) if target.role is Role.OWNER else 0
        check_removal(actor, target, owners)
        await self._members.remove(group_id, user_id)
        event = SystemEvent.MEMBER_LEFT if user_id == actor_id else SystemEvent.MEMBER_REMOVED
        message = await append(self._messages, group_id, author_id=actor_id, event=event, subject_id=user_id)
        await self._uow.commit()
        await self._events.publish(group_id, MemberRemoved(user_id, actor_id, message))

    async def leave(self, group_id: uuid.UUID, user_id: uuid.UUID) -> None:
        await self.remove(group_id, user_id, user_id)

    async def set_role(self, group_id: uuid.UUID, actor_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> Member:
        """Handing over: an owner makes another member owner, then may step down or leave."""
        group, actor = await membership(self._groups, group_id, actor_id)
        group.require_open()
        target = await self._members.get(group_id, user_id)
        if target is None:
            actor.require_manager()
            raise MemberNotFound(f"{user_id} is not a member of this group")
        owners = await self._members.count_owners(group_id) if target.role is Role.OWNER else 0
        check_role_change(actor, target, role, owners)
        await self._members.set_role(group_id, user_id, role)
        await self._uow.commit()
        return Member(group_id, user_id, role, target.last_read_seq)
