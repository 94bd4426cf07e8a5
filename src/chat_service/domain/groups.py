"""Groups, members and the rules about who may do what in a group."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from chat_service.domain.errors import GroupArchived, GroupRoleRequired, InvalidChatInput, LastOwner
from qhitz_shared.text import clean_text

MAX_NAME = 100
MAX_DESCRIPTION = 1_000


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"

    @property
    def manages(self) -> bool:
        """Owners and admins edit the group, add and remove members."""
        return self in (Role.OWNER, Role.ADMIN)


class PlaybackControl(StrEnum):
    """Who may send playback commands: group admins and whoever set the current item, or every member."""

    ADMINS = "admins"
    EVERYONE = "everyone"


@dataclass(frozen=True)
class Group:
    id: uuid.UUID
    name: str
    description: str
    last_seq: int
    playback_control: PlaybackControl
    archived_at: datetime | None = None
    created_at: datetime | None = None

    def require_open(self) -> None:
        if self.archived_at is not None:
            raise GroupArchived("The group is archived: it can be read, not changed")


@dataclass(frozen=True)
class Member:
    group_id: uuid.UUID
    user_id: uuid.UUID
    role: Role
    last_read_seq: int = 0

    def require_manager(self) -> None:
        if not self.role.manages:
            raise GroupRoleRequired("Only the group's owners and admins can do this")


def group_name(value: str) -> str:
    name = clean_text(value, field="name", max_length=MAX_NAME, error=InvalidChatInput)
    if not name:
        raise InvalidChatInput("name cannot be empty", field="name")
    return name


def group_description(value: str) -> str:
    return clean_text(value, field="description", max_length=MAX_DESCRIPTION, multiline=True, error=InvalidChatInput)


def check_removal(actor: Member, target: Member, owners: int) -> None:
    """``actor`` removes ``target`` (themselves: leaving). Admins cannot remove owners; the last owner stays."""
    if actor.user_id != target.user_id:
        actor.require_manager()
        if target.role is Role.OWNER and actor.role is not Role.OWNER:
            raise GroupRoleRequired("Only an owner can remove an owner")
    if target.role is Role.OWNER and owners <= 1:
        raise LastOwner("Make another member an owner before the last owner leaves")


def check_role_change(actor: Member, target: Member, role: Role, owners: int) -> None:
    """Owners grant and take any role; admins only between admin and member, never touching owners."""
    actor.require_manager()
    touches_owner = Role.OWNER in (role, target.role)
    if touches_owner and actor.role is not Role.OWNER:
        raise GroupRoleRequired("Only an owner can make or unmake owners")
    if target.role is Role.OWNER and role is not Role.OWNER and owners <= 1:
        raise LastOwner("The last owner cannot step down; make another member an owner first")
