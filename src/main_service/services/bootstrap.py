"""The first administrator: created, or an existing account promoted; safe to run again."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from main_service.domain.errors import RoleNotFound
from main_service.domain.permissions import ADMIN, DEFAULT_ROLE
from main_service.domain.users import User, UserStatus, normalize_email, normalize_username
from main_service.ports.directory import RoleRepository, UserRepository
from main_service.ports.security import PasswordHasher
from qhitz_shared.ids import new_id
from qhitz_shared.password_policy import PasswordPolicy
from qhitz_shared.ports import UnitOfWork


class AdminOutcome(enum.StrEnum):
    CREATED = "created"
    PROMOTED = "promoted"  # an existing account made admin
    UPDATED = "updated"  # already admin: its password was set or its account reactivated
    UNCHANGED = "unchanged"  # already an active admin, no password given


class AdminBootstrap:
    def __init__(
        self,
        users: UserRepository,
        roles: RoleRepository,
        hasher: PasswordHasher,
        uow: UnitOfWork,
        policy: PasswordPolicy,
    ) -> None:
        self._users = users
        self._roles = roles
        self._hasher = hasher
        self._uow = uow
        self._policy = policy

    async def ensure_admin(self, email: str, username: str | None, password: str | None) -> tuple[User, AdminOutcome]:
        """Returns the admin and what was done. An existing account keeps its password unless one is given; a
        given password must pass the same policy as at registration (raises WeakPassword, nothing changed)."""
        email = normalize_email(email)
        admin_role = await self._roles.get_by_name(ADMIN)
        user_role = await self._roles.get_by_name(DEFAULT_ROLE)
        if admin_role is None or user_role is None:
            raise RoleNotFound("System roles are missing: run the migrations first")
        user = await self._users.get_by_login(email)
        created = user is None
        if user is None:
            if not password:
                raise ValueError("a password is needed to create the admin")
            username = normalize_username(username or email.split("@", 1)[0])
            await self._policy.check(password, email=email, username=username)
            password_hash = await self._hasher.hash(password)
            user = await self._users.add(  # the operator gave the address: it counts as verified
                User(
                    id=new_id(),
                    email=email,
                    username=username,
                    password_hash=password_hash,
                    email_verified_at=datetime.now(UTC),
                )
            )
        elif password:
            await self._policy.check(password, email=user.email, username=user.username)
            user.password_hash = await self._hasher.hash(password)
        current = {role.id for role in [await self._roles.get_by_name(n) for n in user.roles] if role is not None}
        was_admin = admin_role.id in current
        changed = not was_admin or user.status is not UserStatus.ACTIVE or bool(password)
        if changed:
            user.status = UserStatus.ACTIVE
            user.revoke_tokens()
            await self._users.save(user)
            await self._users.set_roles(user.id, current | {admin_role.id, user_role.id})
        await self._uow.commit()
        refreshed = await self._users.get(user.id)
        assert refreshed is not None
        if created:
            return refreshed, AdminOutcome.CREATED
        if not was_admin:
            return refreshed, AdminOutcome.PROMOTED
        return refreshed, AdminOutcome.UPDATED if changed else AdminOutcome.UNCHANGED
