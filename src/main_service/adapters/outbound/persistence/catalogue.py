"""Brings the permissions table and the system roles in line with the catalogue in code.

Called by migrations (the first one, and any later one that changes the catalogue): idempotent, adds what is
missing, refreshes descriptions, and gives each system role at least its core permissions.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from main_service.adapters.outbound.persistence.models import PermissionModel, RoleModel, role_permissions
from main_service.domain.permissions import PERMISSIONS, SYSTEM_ROLES
from qhitz_shared.ids import new_id


def sync_catalogue(connection: Connection) -> None:
    permissions = PermissionModel.__table__
    roles = RoleModel.__table__
    existing = dict(connection.execute(select(permissions.c.code, permissions.c.id)).all())
    for code, description in PERMISSIONS.items():
        if code in existing:
            connection.execute(permissions.update().where(permissions.c.code == code).values(description=description))
        else:
            existing[code] = new_id()
            connection.execute(permissions.insert().values(id=existing[code], code=code, description=description))
    role_ids = dict(connection.execute(select(roles.c.name, roles.c.id)).all())
    for name, (description, core) in SYSTEM_ROLES.items():
        if name not in role_ids:
            role_ids[name] = new_id()
            connection.execute(
                roles.insert().values(id=role_ids[name], name=name, description=description, is_system=True)
            )
        else:
            connection.execute(roles.update().where(roles.c.id == role_ids[name]).values(is_system=True))
        held = set(
            connection.execute(
                select(role_permissions.c.permission_id).where(role_permissions.c.role_id == role_ids[name])
            ).scalars()
        )
        missing = [existing[code] for code in sorted(core) if existing[code] not in held]
        if missing:
            connection.execute(
                role_permissions.insert(), [{"role_id": role_ids[name], "permission_id": pid} for pid in missing]
            )
