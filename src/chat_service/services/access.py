"""Membership: everything about a group starts with "is the caller a member?" (no: 404, as if it did not exist)."""

from __future__ import annotations

import uuid

from chat_service.domain.errors import GroupNotFound
from chat_service.domain.groups import Group, Member
from chat_service.ports.repositories import GroupRepository


async def membership(groups: GroupRepository, group_id: uuid.UUID, user_id: uuid.UUID) -> tuple[Group, Member]:
    """The group and the caller's membership (one read); GroupNotFound for a missing group and for a non-member
    alike."""
    found = await groups.with_member(group_id, user_id)
    if found is None:
        raise GroupNotFound(f"No group {group_id}")
    return found
