"""Media library: media, versions, sizes, tags; blobs (dedupe, refcount), storage usage and deletion queue.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 12:20:44.005022
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('blob',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('owner_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('refcount', sa.Integer(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blob')),
    sa.UniqueConstraint('owner_id', 'sha256', name=op.f('uq_blob_owner_id')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_blob_storage_key'))
    )
    op.create_table('media',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('owner_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('version_count', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('content_type', sa.String(length=127), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('original_filename', sa.String(length=255), nullable=True),
    sa.Column('deleted_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media'))
    )
    op.create_index('ix_media_deleted_at', 'media', ['deleted_at'], unique=False)
    op.create_index('ix_media_owner_listing', 'media', ['owner_id', 'deleted_at', 'created_at'], unique=False)
    op.create_table('media_tag',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('owner_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_tag')),
    sa.UniqueConstraint('owner_id', 'name', name=op.f('uq_media_tag_owner_id'))
    )
    op.create_table('storage_garbage',
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('queued_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('storage_key', name=op.f('pk_storage_garbage'))
    )
    op.create_table('storage_usage',
    sa.Column('owner_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('bytes_used', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('owner_id', name=op.f('pk_storage_usage'))
    )
    op.create_table('media_tags_media',
    sa.Column('media_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('tag_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.ForeignKeyConstraint(['media_id'], ['media.id'], name=op.f('fk_media_tags_media_media_id_media'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['media_tag.id'], name=op.f('fk_media_tags_media_tag_id_media_tag'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('media_id', 'tag_id', name=op.f('pk_media_tags_media'))
    )
    op.create_index(op.f('ix_media_tags_media_tag_id'), 'media_tags_media', ['tag_id'], unique=False)
    op.create_table('media_version',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('media_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('blob_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=127), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('original_filename', sa.String(length=255), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('restored_from', sa.Integer(), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['blob_id'], ['blob.id'], name=op.f('fk_media_version_blob_id_blob'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['media_id'], ['media.id'], name=op.f('fk_media_version_media_id_media'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_version')),
    sa.UniqueConstraint('media_id', 'number', name=op.f('uq_media_version_media_id'))
    )
    op.create_index(op.f('ix_media_version_blob_id'), 'media_version', ['blob_id'], unique=False)
    op.create_index(op.f('ix_media_version_status'), 'media_version', ['status'], unique=False)
    op.create_table('media_size',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('version_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('content_type', sa.String(length=127), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('blob_id', advanced_alchemy.types.guid.GUID(length=16), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['blob_id'], ['blob.id'], name=op.f('fk_media_size_blob_id_blob'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['version_id'], ['media_version.id'], name=op.f('fk_media_size_version_id_media_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_size')),
    sa.UniqueConstraint('version_id', 'name', name=op.f('uq_media_size_version_id'))
    )
    op.create_index(op.f('ix_media_size_blob_id'), 'media_size', ['blob_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_media_size_blob_id'), table_name='media_size')
    op.drop_table('media_size')
    op.drop_index(op.f('ix_media_version_status'), table_name='media_version')
    op.drop_index(op.f('ix_media_version_blob_id'), table_name='media_version')
    op.drop_table('media_version')
    op.drop_index(op.f('ix_media_tags_media_tag_id'), table_name='media_tags_media')
    op.drop_table('media_tags_media')
    op.drop_table('storage_usage')
    op.drop_table('storage_garbage')
    op.drop_table('media_tag')
    op.drop_index('ix_media_owner_listing', table_name='media')
    op.drop_index('ix_media_deleted_at', table_name='media')
    op.drop_table('media')
    op.drop_table('blob')
