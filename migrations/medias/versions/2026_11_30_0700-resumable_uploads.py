"""tus resumable uploads: their state (offset, partial data, lease, quota reservation) lives in mediasdb, shared by
every replica.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 07:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
_GUID = advanced_alchemy.types.guid.GUID(length=16)
_UTC = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)


def upgrade() -> None:
    op.create_table('resumable_upload',
    sa.Column('id', _GUID, nullable=False),
    sa.Column('owner_id', _GUID, nullable=False),
    sa.Column('length', sa.BigInteger(), nullable=False),
    sa.Column('offset', sa.BigInteger(), nullable=False),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('intent', _JSON, nullable=False),
    sa.Column('content_type', sa.String(length=255), nullable=True),
    sa.Column('head', sa.LargeBinary(), nullable=True),
    sa.Column('data_token', sa.String(length=1024), nullable=True),
    sa.Column('data_parts', _JSON, nullable=False),
    sa.Column('media_id', _GUID, nullable=True),
    sa.Column('reservation_id', _GUID, nullable=True),
    sa.Column('lock_holder', _GUID, nullable=True),
    sa.Column('locked_until', _UTC, nullable=True),
    sa.Column('created_at', _UTC, nullable=False),
    sa.Column('expires_at', _UTC, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resumable_upload')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_resumable_upload_storage_key'))
    )
    op.create_index(op.f('ix_resumable_upload_owner_id'), 'resumable_upload', ['owner_id'], unique=False)
    op.create_index(op.f('ix_resumable_upload_expires_at'), 'resumable_upload', ['expires_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_resumable_upload_expires_at'), table_name='resumable_upload')
    op.drop_index(op.f('ix_resumable_upload_owner_id'), table_name='resumable_upload')
    op.drop_table('resumable_upload')
