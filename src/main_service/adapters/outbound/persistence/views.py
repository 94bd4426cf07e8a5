"""Hot reads (reads are not writes): one Core select, decoded straight into the struct the API answers with.

No ORM identity map, no domain entity: the rows go from the driver into ``UserOut``. A read alone runs on an
autocommit connection, so it costs its one statement and no BEGIN/ROLLBACK round trips around it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, select

from main_service.adapters.inbound.http.dto import UserOut
from main_service.adapters.outbound.persistence.models import (
    PermissionModel,
    RoleModel,
    UserModel,
    role_permissions,
    user_roles,
)
from main_service.domain.users import UserStatus
from qhitz_shared.db import AutocommitEngine, HotStatement

_users = UserModel.__table__.c
_roles = RoleModel.__table__.c
_permissions = PermissionModel.__table__.c

# One row per (role, permission) of the user; a user without roles still gives one row (outer joins).
_PROFILE = (
    select(
        _users.id,
        _users.email,
        _users.username,
        _users.first_name,
        _users.last_name,
        _users.status,
        _users.last_login_at,
        _users.created_at,
        _users.updated_at,
        _users.email_verified_at,
        _users.totp_enabled_at,
        _roles.name.label("role"),
        _permissions.code.label("permission"),
    )
    .select_from(UserModel.__table__)
    .outerjoin(user_roles, user_roles.c.user_id == _users.id)
    .outerjoin(RoleModel.__table__, _roles.id == user_roles.c.role_id)
    .outerjoin(role_permissions, role_permissions.c.role_id == _roles.id)
    .outerjoin(PermissionModel.__table__, _permissions.id == role_permissions.c.permission_id)
    .where(_users.id == bindparam("user_id"))
)
_READ_PROFILE = HotStatement(_PROFILE)


class SqlaUserViews:
    """The profile as ``GET /api/v1/users/me`` answers it, in one round trip on an autocommit connection.

    No session: a request never holds a pooled connection while it asks for this one (the fallback token check
    reads on its own autocommit connection too), so a busy pool cannot deadlock on itself."""

    def __init__(self, autocommit: AutocommitEngine) -> None:
        self._engine = autocommit.engine

    async def profile(self, user_id: uuid.UUID) -> UserOut | None:
        """The user with sorted role names and sorted distinct permission codes; None when no such user."""
        async with self._engine.connect() as connection:
            rows = await _READ_PROFILE.rows(connection, {"user_id": user_id})
        if not rows:
            return None
        # by position, in _PROFILE's column order
        (user_id, email, username, first_name, last_name, status, last_login_at, created_at, updated_at) = rows[0][:9]
        email_verified_at, totp_enabled_at = rows[0][9:11]
        return UserOut(
            id=user_id,
            email=email,
            username=username,
            first_name=first_name,
            last_name=last_name,
            status=UserStatus(status),
            roles=sorted({row[11] for row in rows if row[11] is not None}),
            permissions=sorted({row[12] for row in rows if row[12] is not None}),
            last_login_at=last_login_at,
            created_at=created_at,
            updated_at=updated_at,
            email_verified_at=email_verified_at,
            mfa_enabled=totp_enabled_at is not None,
        )
