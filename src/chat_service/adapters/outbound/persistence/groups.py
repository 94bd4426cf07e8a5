"""Groups and members in chatdb."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from chat_service.adapters.outbound.persistence.mapping import group_of, member_of
from chat_service.adapters.outbound.persistence.models import GroupModel, MemberModel, MessageModel
from chat_service.domain.errors import AlreadyMember
from chat_service.domain.groups import Group, Member, Role
from chat_service.ports.repositories import GroupSummary
from qhitz_shared.db import translate_integrity_error

_MEMBER_ERRORS: dict[str, type[Exception]] = {
    "uq_chat_member_group_user": AlreadyMember,
    "chat_member.group_id, chat_member.user_id": AlreadyMember,  # SQLite names the columns
}


class SqlaGroupRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, group: Group) -> None:
        self._session.add(
            GroupModel(
                id=group.id,
                name=group.name,
                description=group.description,
                last_seq=group.last_seq,
                playback_control=group.playback_control.value,
            )
        )
        await self._session.flush()

    async def get(self, group_id: uuid.UUID) -> Group | None:
        row = await self._session.get(GroupModel, group_id, populate_existing=True)
        return None if row is None else group_of(row)

    async def save(self, group: Group) -> None:
        await self._session.execute(
            update(GroupModel)
            .where(GroupModel.id == group.id)
            .values(
                name=group.name,
                description=group.description,
                playback_control=group.playback_control.value,
                archived_at=group.archived_at,
            )
            .execution_options(synchronize_session=False)
        )

    async def with_member(self, group_id: uuid.UUID, user_id: uuid.UUID) -> tuple[Group, Member] | None:
        row = (
            await self._session.execute(
                select(GroupModel, MemberModel)
                .join(MemberModel, MemberModel.group_id == GroupModel.id)
                .where(GroupModel.id == group_id, MemberModel.user_id == user_id)
                .execution_options(populate_existing=True)
            )
        ).first()
        return None if row is None else (group_of(row[0]), member_of(row[1]))

    async def list_for(self, user_id: uuid.UUID) -> Sequence[GroupSummary]:
        unread = (
            select(func.count())
            .where(
                MessageModel.group_id == GroupModel.id,
                MessageModel.seq > MemberModel.last_read_seq,
                MessageModel.deleted_at.is_(None),
                or_(MessageModel.author_id.is_(None), MessageModel.author_id != user_id),
            )
            .scalar_subquery()
        )
        rows = await self._session.execute(
            select(GroupModel, MemberModel.role, MemberModel.last_read_seq, unread)
            .join(MemberModel, and_(MemberModel.group_id == GroupModel.id, MemberModel.user_id == user_id))
            .where(GroupModel.archived_at.is_(None))
            .order_by(GroupModel.last_seq.desc(), GroupModel.id.desc())
            .limit(1_000)
        )
        return [GroupSummary(group_of(group), Role(role), read, count) for group, role, read, count in rows.all()]


class SqlaMemberRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, group_id: uuid.UUID, user_id: uuid.UUID) -> Member | None:
        row = await self._session.scalar(
            select(MemberModel)
            .where(MemberModel.group_id == group_id, MemberModel.user_id == user_id)
            .execution_options(populate_existing=True)
        )
        return None if row is None else member_of(row)

    async def list(self, group_id: uuid.UUID) -> Sequence[Member]:
        rows = await self._session.scalars(
            select(MemberModel).where(MemberModel.group_id == group_id).order_by(MemberModel.id)
        )
        return [member_of(row) for row in rows]

    async def add(self, member: Member) -> None:
        self._session.add(
            MemberModel(group_id=member.group_id, user_id=member.user_id, role=member.role.value, last_read_seq=0)
        )
        try:
            await self._session.flush()
        except IntegrityError as exc:
            error = translate_integrity_error(exc, _MEMBER_ERRORS)
            if error is None:
                raise
            raise error from exc

    async def remove(self, group_id: uuid.UUID, user_id: uuid.UUID) -> None:
        row = await self._session.scalar(
            select(MemberModel).where(MemberModel.group_id == group_id, MemberModel.user_id == user_id)
        )
        if row is not None:
            await self._session.delete(row)
            await self._session.flush()

    async def set_role(self, group_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> None:
        await self._session.execute(
            update(MemberModel)
            .where(MemberModel.group_id == group_id, MemberModel.user_id == user_id)
            .values(role=role.value)
            .execution_options(synchronize_session=False)
        )

    async def count_owners(self, group_id: uuid.UUID) -> int:
        rows = await self._session.scalars(
            select(MemberModel.id)
            .where(MemberModel.group_id == group_id, MemberModel.role == Role.OWNER.value)
            .with_for_update()
        )
        return len(rows.all())

    async def mark_read(self, group_id: uuid.UUID, user_id: uuid.UUID, seq: int) -> int:
        result = await self._session.execute(
            update(MemberModel)
            .where(MemberModel.group_id == group_id, MemberModel.user_id == user_id)
            .values(last_read_seq=case((MemberModel.last_read_seq < seq, seq), else_=MemberModel.last_read_seq))
            .returning(MemberModel.last_read_seq)
            .execution_options(synchronize_session=False)
        )
        return int(result.scalar_one_or_none() or 0)
