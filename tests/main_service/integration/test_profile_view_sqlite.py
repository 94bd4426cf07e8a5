"""The users/me view runs on SQLite too (make dev)."""

from __future__ import annotations

from sqlalchemy import insert

from main_service.adapters.outbound.persistence import models
from main_service.adapters.outbound.persistence.views import SqlaUserViews
from qhitz_shared.db import AutocommitEngine, DatabaseSettings, create_engine
from qhitz_shared.ids import new_id


async def test_profile_on_sqlite(tmp_path):
    engine = create_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'main.db'}"))
    user_id, role_id = new_id(), new_id()
    permissions = [new_id(), new_id()]
    try:
        async with engine.begin() as connection:
            await connection.run_sync(models.metadata.create_all)
            await connection.execute(
                insert(models.UserModel.__table__).values(
                    id=user_id, email="a@example.com", username="abc", status="active", token_version=0
                )
            )
            await connection.execute(insert(models.RoleModel.__table__).values(id=role_id, name="admin"))
            await connection.execute(
                insert(models.PermissionModel.__table__),
                [
                    {"id": pid, "code": code, "description": ""}
                    for pid, code in zip(permissions, ["b:y", "a:x"], strict=True)
                ],
            )
            await connection.execute(insert(models.user_roles).values(user_id=user_id, role_id=role_id))
            await connection.execute(
                insert(models.role_permissions), [{"role_id": role_id, "permission_id": pid} for pid in permissions]
            )
        views = SqlaUserViews(AutocommitEngine(engine))
        profile, missing = await views.profile(user_id), await views.profile(new_id())
        assert profile is not None and (profile.roles, profile.permissions) == (["admin"], ["a:x", "b:y"])
        assert profile.created_at is not None and profile.created_at.tzinfo is not None
        assert missing is None
    finally:
        await engine.dispose()
