"""Chat: groups (with their sequence counter), members and read markers, messages (unique client_msg_id per
author and group, unique seq per group), playback states.

Revision ID: 0001
Revises: 
Create Date: 2026-11-30 06:37:30.306509
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
    op.create_table('chat_group',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('name', sa.String(length=400), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.Column('playback_control', sa.String(length=16), nullable=False),
    sa.Column('archived_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_group'))
    )
    op.create_table('chat_member',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('group_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('user_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('last_read_seq', sa.BigInteger(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['chat_group.id'], name=op.f('fk_chat_member_group_id_chat_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_member')),
    sa.UniqueConstraint('group_id', 'user_id', name='uq_chat_member_group_user')
    )
    op.create_index('ix_chat_member_user_id', 'chat_member', ['user_id'], unique=False)
    op.create_table('chat_message',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('group_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('author_id', advanced_alchemy.types.guid.GUID(length=16), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('client_msg_id', sa.String(length=64), nullable=True),
    sa.Column('event', sa.String(length=32), nullable=True),
    sa.Column('subject_id', advanced_alchemy.types.guid.GUID(length=16), nullable=True),
    sa.Column('edited_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('deleted_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['chat_group.id'], name=op.f('fk_chat_message_group_id_chat_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_message')),
    sa.UniqueConstraint('group_id', 'author_id', 'client_msg_id', name='uq_chat_message_client_msg_id'),
    sa.UniqueConstraint('group_id', 'seq', name='uq_chat_message_group_seq')
    )
    op.create_table('chat_playback',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('group_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('item_kind', sa.String(length=16), nullable=False),
    sa.Column('item_ref', sa.String(length=512), nullable=False),
    sa.Column('position_ms', sa.BigInteger(), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('rate', sa.Float(), nullable=False),
    sa.Column('at_ms', sa.BigInteger(), nullable=False),
    sa.Column('set_by', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['chat_group.id'], name=op.f('fk_chat_playback_group_id_chat_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_playback')),
    sa.UniqueConstraint('group_id', name=op.f('uq_chat_playback_group_id'))
    )


def downgrade() -> None:
    op.drop_table('chat_playback')
    op.drop_table('chat_message')
    op.drop_index('ix_chat_member_user_id', table_name='chat_member')
    op.drop_table('chat_member')
    op.drop_table('chat_group')
