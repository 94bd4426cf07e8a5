"""Profiles and user administration."""

from __future__ import annotations

import uuid

from main_service.domain.errors import CannotChangeSelf, EmailTaken, SystemRoleProtected, UsernameTaken, UserNotFound
from main_service.domain.permissions import ADMIN
from main_service.domain.users import (
    User,
    UserChanges,
    UserFilter,
    UserStatus,
    normalize_email,
    normalize_name,
    normalize_username,
)
from main_service.ports.accounts import EmailVerification
from main_service.ports.directory import RoleRepository, UserRepository
from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal


class UserService:
    """Reads and edits users; suspending, reactivating and deactivating revoke their tokens."""

    def __init__(
        self, users: UserRepository, roles: RoleRepository, uow: UnitOfWork, verification: EmailVerification
    ) -> None:
        self._users = users
        self._roles = roles
        self._uow = uow
        self._verification = verification

    async def get(self, user_id: uuid.UUID) -> User:
        user = await self._users.get(user_id)
        if user is None:
            raise UserNotFound(f"No user with id {user_id}")
        return user

    async def list(self, filters: UserFilter, page: PageRequest) -> tuple[list[User], int]:
        return await self._users.list(filters, page)

    async def update(self, user_id: uuid.UUID, changes: UserChanges) -> User:
        """A new email is unverified: a verification mail goes to it, in the same transaction."""
        user = await self.get(user_id)
        email_before = user.email
        if changes.email is not None:
            email = normalize_email(changes.email)
            if email != user.email and await self._users.email_exists(email):
                raise EmailTaken(f"{email} is already registered")
            user.email = email
        if changes.username is not None:
            username = normalize_username(changes.username)
            if username != user.username and await self._users.username_exists(username):
                raise UsernameTaken(f"{username} is already taken")
            user.username = username
        if changes.first_name is not None:
            user.first_name = normalize_name(changes.first_name, "first_name")
        if changes.last_name is not None:
            user.last_name = normalize_name(changes.last_name, "last_name")
        user = await self._users.save(user)
        if user.email != email_before:
            await self._verification.queue_verification(user)
        await self._uow.commit()
        return user

    async def set_status(self, actor: Principal, user_id: uuid.UUID, status: UserStatus) -> User:
        if actor.subject == str(user_id):
            raise CannotChangeSelf("You cannot suspend, reactivate or deactivate your own account here")
        user = await self.get(user_id)
        if status is not UserStatus.ACTIVE and ADMIN in user.roles and user.is_active:
            admin = await self._roles.get_by_name(ADMIN)
            if admin is not None and len(await self._roles.holders(admin.id)) <= 1:
                raise SystemRoleProtected("The last active admin cannot be suspended or deactivated")
        {
            UserStatus.SUSPENDED: user.suspend,
            UserStatus.ACTIVE: user.reactivate,
            UserStatus.DEACTIVATED: user.deactivate,
        }[status]()
        user = await self._users.save(user)
        await self._uow.commit()
        return user
