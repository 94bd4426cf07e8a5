"""Persistence ports: users and roles."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Protocol

from main_service.domain.roles import Role
from main_service.domain.users import User, UserFilter, UserStatus
from qhitz_shared.pagination import PageRequest


class UserRepository(Protocol):
    async def get(self, user_id: uuid.UUID) -> User | None: ...

    async def get_by_login(self, login: str) -> User | None:
        """By email (when it has an @) or by username, both already normalized."""
        ...

    async def email_exists(self, email: str) -> bool: ...

    async def username_exists(self, username: str) -> bool: ...

    async def add(self, user: User) -> User:
        """Insert; raises EmailTaken / UsernameTaken on a unique violation."""
        ...

    async def save(self, user: User) -> User:
        """Persist changed fields; raises EmailTaken / UsernameTaken on a unique violation."""
        ...

    async def list(self, filters: UserFilter, page: PageRequest) -> tuple[list[User], int]: ...

    async def set_roles(self, user_id: uuid.UUID, role_ids: set[uuid.UUID]) -> None: ...

    async def token_state(self, user_id: uuid.UUID) -> tuple[int, UserStatus] | None:
        """(token_version, status) only: the cheap check made on every authenticated request."""
        ...

    async def count_by_status(self) -> dict[str, int]: ...

    async def count_by_role(self) -> dict[str, int]: ...

    async def signups_per_day(self, since: datetime) -> dict[date, int]: ...


class RoleRepository(Protocol):
    async def get(self, role_id: uuid.UUID) -> Role | None: ...

    async def get_by_name(self, name: str) -> Role | None: ...

    async def list(self, page: PageRequest) -> tuple[list[Role], int]:
        """System roles first, then by name."""
        ...

    async def add(self, role: Role) -> Role:
        """Insert; raises RoleNameTaken on a unique violation."""
        ...

    async def save(self, role: Role) -> Role: ...

    async def delete(self, role: Role) -> None: ...

    async def holders(self, role_id: uuid.UUID) -> list[uuid.UUID]:
        """Ids of the users holding the role (their tokens must be revoked when it changes)."""
        ...

    async def bump_holders_token_version(self, role_id: uuid.UUID) -> None: ...
