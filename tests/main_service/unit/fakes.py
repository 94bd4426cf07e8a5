"""In-memory fakes of main_service's ports, for use-case tests."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from main_service.domain.errors import EmailTaken, RoleNameTaken, UsernameTaken
from main_service.domain.permissions import SYSTEM_ROLES
from main_service.domain.roles import Role
from main_service.domain.sessions import Session
from main_service.domain.users import User, UserFilter, UserStatus
from main_service.ports.revocations import TokenState
from qhitz_shared.pagination import PageRequest


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.commits = 0

    async def commit(self) -> None:
        self.commits += 1

    async def rollback(self) -> None:
        pass


class FakeRoles:
    def __init__(self) -> None:
        self.by_id: dict[uuid.UUID, Role] = {}
        self.members: dict[uuid.UUID, set[uuid.UUID]] = {}  # role id -> user ids
        self.users: FakeUsers | None = None
        for name, (description, core) in SYSTEM_ROLES.items():
            role = Role(id=uuid.uuid4(), name=name, description=description, is_system=True, permissions=core)
            self.by_id[role.id] = role

    async def get(self, role_id: uuid.UUID) -> Role | None:
        role = self.by_id.get(role_id)
        return copy.deepcopy(role) if role else None

    async def get_by_name(self, name: str) -> Role | None:
        return next((copy.deepcopy(r) for r in self.by_id.values() if r.name == name), None)

    async def list(self, page: PageRequest) -> tuple[list[Role], int]:
        roles = sorted(self.by_id.values(), key=lambda r: (not r.is_system, r.name))
        return roles[page.offset : page.offset + page.limit], len(roles)

    async def add(self, role: Role) -> Role:
        if any(r.name == role.name for r in self.by_id.values()):
            raise RoleNameTaken()
        self.by_id[role.id] = copy.deepcopy(role)
        return role

    async def save(self, role: Role) -> Role:
        self.by_id[role.id] = copy.deepcopy(role)
        return role

    async def delete(self, role: Role) -> None:
        del self.by_id[role.id]
        self.members.pop(role.id, None)

    async def holders(self, role_id: uuid.UUID) -> list[uuid.UUID]:
        assert self.users is not None
        return [u for u in self.members.get(role_id, set()) if self.users.rows[u].status is UserStatus.ACTIVE]

    async def bump_holders_token_version(self, role_id: uuid.UUID) -> None:
        assert self.users is not None
        for user_id in self.members.get(role_id, set()):
            self.users.rows[user_id].token_version += 1


class FakeUsers:
    def __init__(self, roles: FakeRoles) -> None:
        self.rows: dict[uuid.UUID, User] = {}
        self.roles = roles
        roles.users = self

    def _view(self, user: User) -> User:
        view = copy.deepcopy(user)
        held = [r for r in self.roles.by_id.values() if user.id in self.roles.members.get(r.id, set())]
        view.roles = sorted(r.name for r in held)
        view.permissions = sorted({p for r in held for p in r.permissions})
        return view

    async def get(self, user_id: uuid.UUID) -> User | None:
        return self._view(self.rows[user_id]) if user_id in self.rows else None

    async def get_by_login(self, login: str) -> User | None:
        for user in self.rows.values():
            if login in (user.email, user.username):
                return self._view(user)
        return None

    async def email_exists(self, email: str) -> bool:
        return any(u.email == email for u in self.rows.values())

    async def username_exists(self, username: str) -> bool:
        return any(u.username == username for u in self.rows.values())

    def _check_unique(self, user: User) -> None:
        for other in self.rows.values():
            if other.id != user.id and other.email == user.email:
                raise EmailTaken()
            if other.id != user.id and other.username == user.username:
                raise UsernameTaken()

    async def add(self, user: User) -> User:
        self._check_unique(user)
        self.rows[user.id] = copy.deepcopy(user)
        return self._view(user)

    async def save(self, user: User) -> User:
        self._check_unique(user)
        self.rows[user.id] = copy.deepcopy(user)
        return self._view(user)

    async def list(self, filters: UserFilter, page: PageRequest) -> tuple[list[User], int]:
        found = [self._view(u) for u in self.rows.values()]
        return found[page.offset : page.offset + page.limit], len(found)

    async def set_roles(self, user_id: uuid.UUID, role_ids: set[uuid.UUID]) -> None:
        for members in self.roles.members.values():
            members.discard(user_id)
        for role_id in role_ids:
            self.roles.members.setdefault(role_id, set()).add(user_id)

    async def token_state(self, user_id: uuid.UUID) -> tuple[int, UserStatus] | None:
        user = self.rows.get(user_id)
        return (user.token_version, user.status) if user else None

    async def count_by_status(self) -> dict[str, int]:
        return {str(s): sum(u.status is s for u in self.rows.values()) for s in UserStatus}

    async def count_by_role(self) -> dict[str, int]:
        return {r.name: len(self.roles.members.get(r.id, set())) for r in self.roles.by_id.values()}

    async def signups_per_day(self, since: datetime) -> dict[date, int]:
        days: dict[date, int] = {}
        for user in self.rows.values():
            if user.created_at and user.created_at >= since:
                days[user.created_at.date()] = days.get(user.created_at.date(), 0) + 1
        return days


class FakeFlags:
    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self.values = dict(values or {})
        self.seen: list[Mapping[str, Any]] = []

    async def evaluate_all(self, attributes: Mapping[str, Any]) -> dict[str, Any]:
        self.seen.append(attributes)
        return dict(self.values)

    async def value(self, key: str, attributes: Mapping[str, Any], default: Any) -> Any:
        self.seen.append(attributes)
        return self.values.get(key, default)


class FakeHasher:
    async def hash(self, password: str) -> str:
        return f"hashed:{password}"

    async def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == f"hashed:{password}"


class FakeSessions:
    """Only what LookupTokenCheck reads; the session use cases are tested against PostgreSQL."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Session] = {}

    async def get(self, session_id: uuid.UUID) -> Session | None:
        return self.rows.get(session_id)


class FakeTokenStates:
    """TokenStates over the fake users and sessions (the real one is a single SQL statement)."""

    def __init__(self, users: FakeUsers, sessions: FakeSessions) -> None:
        self._users = users
        self._sessions = sessions

    async def of(self, user_id: uuid.UUID, session_id: uuid.UUID | None) -> TokenState | None:
        user = self._users.rows.get(user_id)
        if user is None:
            return None
        live = None
        if session_id is not None:
            session = self._sessions.rows.get(session_id)
            live = session is not None and session.user_id == user_id and session.revoked_at is None
        return TokenState(user.token_version, user.status, live)


class FakeVerification:
    """EmailVerification: records whom a verification mail would go to."""

    def __init__(self) -> None:
        self.queued: list[str] = []

    async def queue_verification(self, user) -> None:
        self.queued.append(user.email)
