"""The drive: folders (case-insensitive sibling names), media in folders, share links, quota reservations.

Sibling uniqueness is two partial unique indexes on the case-folded name (``name_key``, filled by the service
from the NFC name): one for the root of each owner, one under each parent; folders in trash are not counted.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 06:32:12.210283
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('folder',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('owner_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('parent_id', advanced_alchemy.types.guid.GUID(length=16), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('name_key', sa.String(length=1024), nullable=False),
    sa.Column('trashed_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('trash_root_id', advanced_alchemy.types.guid.GUID(length=16), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['folder.id'], name=op.f('fk_folder_parent_id_folder'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_folder'))
    )
    op.create_index(op.f('ix_folder_owner_id'), 'folder', ['owner_id'], unique=False)
    op.create_index('ix_folder_parent_id', 'folder', ['parent_id'], unique=False)
    op.create_index('ix_folder_trash_root_id', 'folder', ['trash_root_id'], unique=False)
    op.create_index('uq_folder_root_name', 'folder', ['owner_id', 'name_key'], unique=True, postgresql_where=sa.text('parent_id IS NULL AND trashed_at IS NULL'), sqlite_where=sa.text('parent_id IS NULL AND trashed_at IS NULL'))
    op.create_index('uq_folder_sibling_name', 'folder', ['parent_id', 'name_key'], unique=True, postgresql_where=sa.text('parent_id IS NOT NULL AND trashed_at IS NULL'), sqlite_where=sa.text('parent_id IS NOT NULL AND trashed_at IS NULL'))
    op.create_table('quota_reservation',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('owner_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('bytes', sa.BigInteger(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('expires_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quota_reservation'))
    )
    op.create_index(op.f('ix_quota_reservation_expires_at'), 'quota_reservation', ['expires_at'], unique=False)
    op.create_index(op.f('ix_quota_reservation_owner_id'), 'quota_reservation', ['owner_id'], unique=False)
    op.create_table('share_link',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('owner_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('media_id', advanced_alchemy.types.guid.GUID(length=16), nullable=True),
    sa.Column('folder_id', advanced_alchemy.types.guid.GUID(length=16), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('expires_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('max_downloads', sa.Integer(), nullable=True),
    sa.Column('download_count', sa.Integer(), nullable=False),
    sa.Column('access_count', sa.Integer(), nullable=False),
    sa.Column('last_access_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('allow_download', sa.Boolean(), nullable=False),
    sa.Column('revoked_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint('(media_id IS NULL) <> (folder_id IS NULL)', name=op.f('ck_share_link_one_target')),
    sa.ForeignKeyConstraint(['folder_id'], ['folder.id'], name=op.f('fk_share_link_folder_id_folder'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['media_id'], ['media.id'], name=op.f('fk_share_link_media_id_media'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_share_link_token_hash'))
    )
    op.create_index(op.f('ix_share_link_folder_id'), 'share_link', ['folder_id'], unique=False)
    op.create_index(op.f('ix_share_link_media_id'), 'share_link', ['media_id'], unique=False)
    op.create_index(op.f('ix_share_link_owner_id'), 'share_link', ['owner_id'], unique=False)
    with op.batch_alter_table('media') as batch:
        batch.add_column(sa.Column('folder_id', advanced_alchemy.types.guid.GUID(length=16), nullable=True))
        batch.add_column(sa.Column('trashed_with_folder_id', advanced_alchemy.types.guid.GUID(length=16), nullable=True))
        batch.create_index(batch.f('ix_media_folder_id'), ['folder_id'], unique=False)
        batch.create_index(batch.f('ix_media_trashed_with_folder_id'), ['trashed_with_folder_id'], unique=False)
        batch.create_foreign_key(batch.f('fk_media_folder_id_folder'), 'folder', ['folder_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('storage_usage') as batch:
        batch.add_column(sa.Column('bytes_reserved', sa.BigInteger(), server_default='0', nullable=False))

def downgrade() -> None:
    with op.batch_alter_table('storage_usage') as batch:
        batch.drop_column('bytes_reserved')
    with op.batch_alter_table('media') as batch:
        batch.drop_constraint(batch.f('fk_media_folder_id_folder'), type_='foreignkey')
        batch.drop_index(batch.f('ix_media_trashed_with_folder_id'))
        batch.drop_index(batch.f('ix_media_folder_id'))
        batch.drop_column('trashed_with_folder_id')
        batch.drop_column('folder_id')
    op.drop_index(op.f('ix_share_link_owner_id'), table_name='share_link')
    op.drop_index(op.f('ix_share_link_media_id'), table_name='share_link')
    op.drop_index(op.f('ix_share_link_folder_id'), table_name='share_link')
    op.drop_table('share_link')
    op.drop_index(op.f('ix_quota_reservation_owner_id'), table_name='quota_reservation')
    op.drop_index(op.f('ix_quota_reservation_expires_at'), table_name='quota_reservation')
    op.drop_table('quota_reservation')
    op.drop_index('uq_folder_sibling_name', table_name='folder', postgresql_where=sa.text('parent_id IS NOT NULL AND trashed_at IS NULL'), sqlite_where=sa.text('parent_id IS NOT NULL AND trashed_at IS NULL'))
    op.drop_index('uq_folder_root_name', table_name='folder', postgresql_where=sa.text('parent_id IS NULL AND trashed_at IS NULL'), sqlite_where=sa.text('parent_id IS NULL AND trashed_at IS NULL'))
    op.drop_index('ix_folder_trash_root_id', table_name='folder')
    op.drop_index('ix_folder_parent_id', table_name='folder')
    op.drop_index(op.f('ix_folder_owner_id'), table_name='folder')
    op.drop_table('folder')
