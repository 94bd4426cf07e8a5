"""SqlaUserRepository: users, their roles, and the statistics queries."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Select, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from main_service.adapters.outbound.persistence.mapping import copy_user_fields, user_to_domain
from main_service.adapters.outbound.persistence.models import RoleModel, UserModel, user_roles
from main_service.domain.errors import EmailTaken, UsernameTaken
from main_service.domain.users import User, UserFilter, UserStatus
from qhitz_shared.db import translate_integrity_error
from qhitz_shared.pagination import PageRequest

UNIQUE_VIOLATIONS: dict[str, type[Exception]] = {
    "uq_users_email": EmailTaken,
    "users.email": EmailTaken,
    "uq_users_username": UsernameTaken,
    "users.username": UsernameTaken,
}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlaUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: uuid.UUID) -> User | None:
        model = await self._session.get(UserModel, user_id, populate_existing=True)
        return user_to_domain(model) if model else None

    async def get_by_login(self, login: str) -> User | None:
        column = UserModel.email if "@" in login else UserModel.username
        model = await self._session.scalar(select(UserModel).where(column == login))
        return user_to_domain(model) if model else None

    async def email_exists(self, email: str) -> bool:
        return bool(await self._session.scalar(select(func.count()).where(UserModel.email == email)))

    async def username_exists(self, username: str) -> bool:
        return bool(await self._session.scalar(select(func.count()).where(UserModel.username == username)))

    async def add(self, user: User) -> User:
        model = UserModel(id=user.id, roles=[], email_verified_at=user.email_verified_at)
        copy_user_fields(user, model)
        self._session.add(model)
        await self._flush()
        return user_to_domain(model)

    async def save(self, user: User) -> User:
        model = await self._session.get_one(UserModel, user.id)
        copy_user_fields(user, model)
        await self._flush()
        await self._session.refresh(model)
        return user_to_domain(model)

    async def _flush(self) -> None:
        try:
            await self._session.flush()
        except IntegrityError as exc:
            await self._session.rollback()
            raise (translate_integrity_error(exc, UNIQUE_VIOLATIONS) or exc) from exc

    async def list(self, filters: UserFilter, page: PageRequest) -> tuple[list[User], int]:
        query = self._filtered(select(UserModel), filters)
        total = await self._session.scalar(self._filtered(select(func.count(UserModel.id)), filters)) or 0
        rows = await self._session.scalars(
            query.order_by(UserModel.created_at.desc(), UserModel.id.desc()).offset(page.offset).limit(page.limit)
        )
        return [user_to_domain(model) for model in rows], total

    @staticmethod
    def _filtered(query: Select, filters: UserFilter) -> Select:
        if filters.q:
            pattern = f"%{_escape_like(filters.q.strip().lower())}%"
            query = query.where(
                or_(UserModel.email.like(pattern, escape="\\"), UserModel.username.like(pattern, escape="\\"))
            )
        if filters.status is not None:
            query = query.where(UserModel.status == str(filters.status))
        if filters.role:
            query = query.where(
                UserModel.id.in_(
                    select(user_roles.c.user_id)
                    .join(RoleModel, RoleModel.id == user_roles.c.role_id)
                    .where(RoleModel.name == filters.role.strip().lower())
                )
            )
        return query

    async def set_roles(self, user_id: uuid.UUID, role_ids: set[uuid.UUID]) -> None:
        await self._session.execute(delete(user_roles).where(user_roles.c.user_id == user_id))
        if role_ids:
            await self._session.execute(
                insert(user_roles), [{"user_id": user_id, "role_id": role_id} for role_id in role_ids]
            )
        await self._session.flush()
        model = await self._session.get(UserModel, user_id)
        if model is not None:
            await self._session.refresh(model, attribute_names=["roles"])

    async def token_state(self, user_id: uuid.UUID) -> tuple[int, UserStatus] | None:
        row = (
            await self._session.execute(
                select(UserModel.token_version, UserModel.status).where(UserModel.id == user_id)
            )
        ).first()
        return (row.token_version, UserStatus(row.status)) if row else None

    async def count_by_status(self) -> dict[str, int]:
        rows = await self._session.execute(select(UserModel.status, func.count()).group_by(UserModel.status))
        counts = {str(status): 0 for status in UserStatus}
        counts.update({status: count for status, count in rows})
        return counts

    async def count_by_role(self) -> dict[str, int]:
        rows = await self._session.execute(
            select(RoleModel.name, func.count(user_roles.c.user_id))
            .select_from(RoleModel)
            .outerjoin(user_roles, user_roles.c.role_id == RoleModel.id)
            .group_by(RoleModel.name)
        )
        return dict(rows.all())

    async def signups_per_day(self, since: datetime) -> dict[date, int]:
        day = func.date(UserModel.created_at)
        rows = await self._session.execute(select(day, func.count()).where(UserModel.created_at >= since).group_by(day))
        return {(d if isinstance(d, date) else date.fromisoformat(str(d))): n for d, n in rows}
