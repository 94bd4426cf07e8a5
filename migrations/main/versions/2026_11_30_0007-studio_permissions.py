"""studio_service's permissions in the catalogue: studio:use (users), studio:read:any and studio:write:any
(moderators), credits:adjust (admins); the system roles get their core share.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 06:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from main_service.adapters.outbound.persistence.catalogue import sync_catalogue

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STUDIO_CODES = ("studio:use", "studio:read:any", "studio:write:any", "credits:adjust")


def upgrade() -> None:
    sync_catalogue(op.get_bind())


def downgrade() -> None:
    permissions = sa.table("permissions", sa.column("id"), sa.column("code"))
    grants = sa.table("role_permissions", sa.column("permission_id"))
    ids = sa.select(permissions.c.id).where(permissions.c.code.in_(STUDIO_CODES)).scalar_subquery()
    op.execute(grants.delete().where(grants.c.permission_id.in_(ids)))
    op.execute(permissions.delete().where(permissions.c.code.in_(STUDIO_CODES)))
