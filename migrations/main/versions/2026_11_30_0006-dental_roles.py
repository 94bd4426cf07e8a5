"""Dental practice permissions and the receptionist and dentist system roles, synced from the catalogue in code.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 06:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from main_service.adapters.outbound.persistence.catalogue import sync_catalogue

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("receptionist", "dentist")


def upgrade() -> None:
    sync_catalogue(op.get_bind())


def downgrade() -> None:
    bind = op.get_bind()
    dental = "SELECT id FROM permissions WHERE code LIKE 'dental:%'"
    bind.execute(sa.text(f"DELETE FROM role_permissions WHERE permission_id IN ({dental})"))
    bind.execute(sa.text("DELETE FROM permissions WHERE code LIKE 'dental:%'"))
    for name in ROLES:  # user_roles rows go with them (ON DELETE CASCADE)
        bind.execute(sa.text("DELETE FROM roles WHERE name = :name AND is_system = :system"), {"name": name, "system": True})
