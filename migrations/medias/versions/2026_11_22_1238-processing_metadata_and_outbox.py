"""Processing: what was learnt about each version's original, and the outbox of events to publish.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 12:38:24.790836
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('outbox_event',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('sent_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_event'))
    )
    with op.batch_alter_table('media_version') as batch:
        batch.add_column(sa.Column('width', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('height', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('duration_seconds', sa.Float(), nullable=True))
        batch.add_column(sa.Column('bitrate', sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column('video_codec', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('audio_codec', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('page_count', sa.Integer(), nullable=True))
    op.create_index('ix_outbox_event_unsent', 'outbox_event', ['created_at'], unique=False, postgresql_where=sa.text('sent_at IS NULL'), sqlite_where=sa.text('sent_at IS NULL'))


def downgrade() -> None:
    with op.batch_alter_table('media_version') as batch:
        batch.drop_column('page_count')
        batch.drop_column('audio_codec')
        batch.drop_column('video_codec')
        batch.drop_column('bitrate')
        batch.drop_column('duration_seconds')
        batch.drop_column('height')
        batch.drop_column('width')
    op.drop_index('ix_outbox_event_unsent', table_name='outbox_event', postgresql_where=sa.text('sent_at IS NULL'), sqlite_where=sa.text('sent_at IS NULL'))
    op.drop_table('outbox_event')
