"""Persistence ports of chatdb. Implementations translate constraint violations into domain errors."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from chat_service.domain.groups import Group, Member, Role
from chat_service.domain.messages import Message, Page
from chat_service.domain.playback import PlaybackState


@dataclass(frozen=True)
class GroupSummary:
    """A row of the caller's group list."""

    group: Group
    role: Role
    last_read_seq: int
    unread_count: int


class GroupRepository(Protocol):
    async def add(self, group: Group) -> None: ...

    async def get(self, group_id: uuid.UUID) -> Group | None: ...

    async def save(self, group: Group) -> None: ...

    async def list_for(self, user_id: uuid.UUID) -> Sequence[GroupSummary]:
        """The user's groups that are not archived, newest activity first, with unread counts."""
        ...

    async def with_member(self, group_id: uuid.UUID, user_id: uuid.UUID) -> tuple[Group, Member] | None:
        """The group and ``user_id``'s membership of it in one read; None when either is missing."""
        ...


class MemberRepository(Protocol):
    async def get(self, group_id: uuid.UUID, user_id: uuid.UUID) -> Member | None: ...

    async def list(self, group_id: uuid.UUID) -> Sequence[Member]: ...

    async def add(self, member: Member) -> None:
        """Raises AlreadyMember on a second row for the same user."""
        ...

    async def remove(self, group_id: uuid.UUID, user_id: uuid.UUID) -> None: ...

    async def set_role(self, group_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> None: ...

    async def count_owners(self, group_id: uuid.UUID) -> int:
        """Locks the owners' rows, so two owners leaving at once cannot both be "not the last"."""
        ...

    async def mark_read(self, group_id: uuid.UUID, user_id: uuid.UUID, seq: int) -> int:
        """Moves the marker forward only; returns the marker now stored."""
        ...


class MessageRepository(Protocol):
    async def append(self, message: Message, *, read_by: uuid.UUID | None = None) -> Message:
        """Stores ``message`` with its group's next sequence number (``message.seq`` is ignored) and returns it
        with that number. The group's counter row stays locked until the transaction ends, so concurrent senders
        get consecutive numbers in commit order. ``read_by``'s read marker moves forward to it. Raises
        DuplicateClientMessage when (group, author, client_msg_id) exists (the counter is then untouched)."""
        ...

    async def get(self, group_id: uuid.UUID, seq: int) -> Message | None: ...

    async def by_client_id(self, group_id: uuid.UUID, author_id: uuid.UUID, client_msg_id: str) -> Message | None: ...

    async def page(self, group_id: uuid.UUID, page: Page) -> Sequence[Message]: ...

    async def save(self, message: Message) -> None: ...


class PlaybackRepository(Protocol):
    async def get(self, group_id: uuid.UUID) -> PlaybackState | None: ...

    async def put(self, group_id: uuid.UUID, state: PlaybackState) -> None: ...


class DuplicateClientMessage(Exception):
    """The unique key on (group, author, client_msg_id) refused a second insert: a concurrent retry won."""
